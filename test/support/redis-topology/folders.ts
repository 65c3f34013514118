/** The temporary folders of a topology, under `os.tmpdir()`, and their removal with the nodes. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisNode } from './node.js';
import { forgetDir, trackDir } from './reaper.js';

/** Makes mkdtemp's folder and one sub-folder per node, removed by the reaper if the process dies first. */
export function makeFolders(prefix: string, names: readonly string[]): { root: string; dirs: string[] } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  trackDir(root);
  const dirs = names.map((name) => {
    const dir = join(root, name);
    mkdirSync(dir);
    return dir;
  });
  return { root, dirs };
}

/** Kills every node and removes the folders (both are no-ops the second time). */
export async function removeAll(nodes: readonly RedisNode[], root: string): Promise<void> {
  await Promise.all(nodes.map((node) => node.kill()));
  rmSync(root, { recursive: true, force: true });
  forgetDir(root);
}
