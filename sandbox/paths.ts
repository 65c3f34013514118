import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root, found from this file whether it runs compiled (dist/sandbox/) or from
 * source under the test runner (sandbox/): the nearest folder up with a package.json.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = findRoot(import.meta.dirname);

/** The page's files are served as they are in the repository: plain JS and CSS, nothing to build. */
export const STATIC_DIR = join(ROOT, 'sandbox/console/static');
