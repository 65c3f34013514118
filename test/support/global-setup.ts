import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * End-to-end tests run the compiled bot (`dist/`), as `npm start` does. `npm test` and
 * `npm run test:faults` compile before vitest starts; when vitest is run by hand, compile here so that no test runs stale code.
 */
export default function setup(): void {
  const script = process.env.npm_lifecycle_event;
  if (script === 'test' || script === 'test:faults' || process.env.SKIP_BUILD === '1') return;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
