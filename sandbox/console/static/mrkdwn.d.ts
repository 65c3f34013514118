/** Types of mrkdwn.js (plain JS for the browser), for the TypeScript tests that import it. */
export type Node =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike' | 'quote'; children: Node[] }
  | { type: 'code' | 'pre'; text: string }
  | { type: 'br' }
  | { type: 'emoji'; name: string }
  | { type: 'user' | 'channel' | 'usergroup'; id: string; label?: string }
  | { type: 'broadcast'; name: string }
  | { type: 'date'; ts: number; format: string; link?: string; fallback: string }
  | { type: 'link'; url: string; children: Node[] };

export function parseMrkdwn(text: string): Node[];
export function parseInline(text: string): Node[];
