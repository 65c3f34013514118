import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const ignore = readFileSync(resolve(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim());

/** Instructions with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.length > 0 && !l.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (/^FROM\s/i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}
const final = stages.at(-1) ?? [];
/** The Node.js lines CI runs npm test on besides the machine's own (.ci/run reads the same file). */
const testedLines = readFileSync(resolve(root, '.ci/node-versions'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.length > 0 && !l.startsWith('#'))
  .map(Number);

describe('Dockerfile', () => {
  it('is multi-stage on a Node.js slim image of one line', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:\d+-[\w.-]*slim\b/);
    expect(new Set(stages.map((stage) => stage[0]?.split(/[:-]/)[1])).size).toBe(1);
  });

  it('runs a long-term support line that CI runs the whole suite on', () => {
    const line = Number(/^FROM node:(\d+)-/.exec(final[0] ?? '')?.[1]);
    expect(testedLines.length).toBeGreaterThan(0);
    expect(testedLines).toContain(line);
    // Even-numbered lines become LTS; odd ones end six months after their release.
    expect(line % 2).toBe(0);
  });

  it('installs only production dependencies in the final stage, from the lockfile', () => {
    expect(final.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(final.some((l) => /npm (install|i)\b/.test(l))).toBe(false);
    expect(final).toContain('COPY --from=build /app/dist ./dist');
  });

  it('runs as a non-root user', () => {
    const user = final.filter((l) => /^USER\s/.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/);
  });

  it('checks health on /healthz and starts the bot with node directly', () => {
    expect(final.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
    expect(final.at(-1)).toBe('CMD ["node", "dist/src/main.js"]');
  });

  it('copies only files that exist', () => {
    for (const line of instructions.filter((l) => /^COPY\s/.test(l) && !l.includes('--from'))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(resolve(root, source)), source).toBe(true);
    }
  });

  it('.dockerignore keeps secrets, dependencies and history out of the build context', () => {
    for (const entry of ['.git', 'node_modules', 'dist', '.env', 'lambda-bot.yml']) expect(ignore).toContain(entry);
  });
});
