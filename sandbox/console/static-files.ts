/**
 * The page: one HTML file, its scripts (ES modules) and stylesheet, served from the repository as
 * they are, under /assets/. Every path the page itself routes (`/`, `/home`, `/archives/C…/p…` permalinks) gets the HTML.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `path` from `dir`; false when there is no such file (or the path tries to leave `dir`). */
export async function serveStatic(dir: string, path: string, res: ServerResponse): Promise<boolean> {
  const page = path === '/' || path === '/home' || path.startsWith('/archives/');
  if (!page && !path.startsWith('/assets/')) return false;
  const relative = page ? 'index.html' : normalize(decodeURIComponent(path.slice('/assets/'.length)));
  if (relative.startsWith('..') || !TYPES[extname(relative)]) return false;
  try {
    const body = await readFile(join(dir, relative));
    res.writeHead(200, { 'content-type': TYPES[extname(relative)] as string, 'cache-control': 'no-cache' });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}
