import type { App } from '../app.js';
import type { Reply } from '../core/http.js';

/** One control endpoint: the parsed JSON body (`{}` when empty) and the URL (for query parameters). */
export type ControlHandler = (app: App, input: Record<string, unknown>, url: URL) => Reply;

/** 200 with a JSON body (`{"ok": true}` by default). */
export const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });

/** An error of the control API: `{"error": "…"}` with 400, 404 or 409. */
export const bad = (error: string, status = 400): Reply => ({ status, body: { error } });
