/**
 * Slack's mrkdwn, parsed into a small tree the page renders: *bold*, _italic_, ~strike~, `code`,
 * ```preformatted```, > quotes, line breaks, :emoji:, and the <…> tokens (<@U…> people,
 * <#C…> channels, <!here>, <!date^…|fallback>, <url|text> links). Pure: no DOM, so that it can be
 * tested in Node. Entities (&lt; &gt; &amp;) are decoded only in text, never inside the markup.
 *
 * Formatting follows Slack's rule that a marker opens after a space or punctuation and closes
 * before one, so `payments_api_v2` stays as it is. Links are parsed leniently: their text may
 * hold other tokens (`<url|the request in <#C0APPROVALS>>`).
 *
 * @typedef {{type: 'text', text: string}
 *   | {type: 'bold' | 'italic' | 'strike' | 'quote', children: Node[]}
 *   | {type: 'code' | 'pre', text: string}
 *   | {type: 'br'}
 *   | {type: 'emoji', name: string}
 *   | {type: 'user' | 'channel' | 'usergroup', id: string, label?: string}
 *   | {type: 'broadcast', name: string}
 *   | {type: 'date', ts: number, format: string, link?: string, fallback: string}
 *   | {type: 'link', url: string, children: Node[]}} Node
 */

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const MARKERS = { '*': 'bold', _: 'italic', '~': 'strike' };

/** @param {string} text @returns {Node[]} */
export function parseMrkdwn(text) {
  const nodes = [];
  const parts = String(text).split('```');
  parts.forEach((part, i) => {
    // Odd parts are inside a fence; an unclosed fence is plain text, as Slack shows it.
    if (i % 2 === 1 && i < parts.length - 1) {
      nodes.push({ type: 'pre', text: decode(part.replace(/^\n/, '').replace(/\n$/, '')) });
    } else {
      nodes.push(...parseLines(i % 2 === 1 ? `\`\`\`${part}` : part));
    }
  });
  return nodes;
}

/** Lines starting with `>` are quotes; consecutive ones form one quote. */
function parseLines(text) {
  const nodes = [];
  const lines = text.split('\n');
  let quote = [];
  let plain = [];
  const flush = () => {
    if (plain.length) nodes.push(...parseInline(plain.join('\n')));
    if (quote.length) nodes.push({ type: 'quote', children: parseInline(quote.join('\n')) });
    plain = [];
    quote = [];
  };
  for (const line of lines) {
    if (line.startsWith('>')) {
      if (plain.length) flush();
      quote.push(line.replace(/^> ?/, ''));
    } else {
      if (quote.length) flush();
      plain.push(line);
    }
  }
  flush();
  return nodes;
}

/** @param {string} text @returns {Node[]} */
export function parseInline(text) {
  return format(atoms(text));
}

/** Characters, and the things markers cannot cut: code spans, <…> tokens, emoji, line breaks. */
function atoms(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1 && !text.slice(i + 1, end).includes('\n')) {
        out.push({ node: { type: 'code', text: decode(text.slice(i + 1, end)) } });
        i = end + 1;
        continue;
      }
    }
    if (c === '<') {
      const end = closing(text, i);
      if (end > i + 1) {
        out.push({ node: token(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === '&') {
      const entity = /^&(lt|gt|amp);/.exec(text.slice(i, i + 5));
      if (entity) {
        out.push({ char: ENTITIES[entity[0]], literal: true });
        i += entity[0].length;
        continue;
      }
    }
    if (c === ':') {
      const emoji = /^:([a-z][a-z0-9_+-]*):/.exec(text.slice(i, i + 40));
      if (emoji) {
        out.push({ node: { type: 'emoji', name: emoji[1] } });
        i += emoji[0].length;
        continue;
      }
    }
    out.push(c === '\n' ? { node: { type: 'br' }, space: true } : { char: c });
    i++;
  }
  return out;
}

/** The `>` that closes the `<` at `start`, allowing nested <…>; -1 when there is none on the line. */
function closing(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\n') return -1;
    if (text[i] === '<') depth++;
    else if (text[i] === '>' && --depth === 0) return i;
  }
  return -1;
}

function token(inside) {
  const [head, ...rest] = splitLabel(inside);
  const label = rest.length ? rest.join('|') : undefined;
  if (head.startsWith('@')) return { type: 'user', id: head.slice(1), ...(label ? { label } : {}) };
  if (head.startsWith('#')) return { type: 'channel', id: head.slice(1), ...(label ? { label } : {}) };
  if (head.startsWith('!subteam^')) return { type: 'usergroup', id: head.slice(9), ...(label ? { label } : {}) };
  if (head.startsWith('!date^')) {
    const [ts, fmt = '{date}', link] = head.slice(6).split('^');
    const seconds = Number(ts);
    if (Number.isFinite(seconds)) {
      return { type: 'date', ts: seconds, format: fmt, ...(link ? { link } : {}), fallback: decode(label ?? '') };
    }
  }
  if (head.startsWith('!')) return { type: 'broadcast', name: head.slice(1) };
  const url = decode(head);
  return { type: 'link', url, children: label ? parseInline(label) : [{ type: 'text', text: url }] };
}

/** Splits at `|` outside nested <…>. */
function splitLabel(inside) {
  let depth = 0;
  for (let i = 0; i < inside.length; i++) {
    if (inside[i] === '<') depth++;
    else if (inside[i] === '>') depth--;
    else if (inside[i] === '|' && depth === 0) return [inside.slice(0, i), inside.slice(i + 1)];
  }
  return [inside];
}

function format(list) {
  const nodes = [];
  let text = '';
  const flushText = () => {
    if (text) nodes.push({ type: 'text', text });
    text = '';
  };
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    const kind = !a.literal && a.char !== undefined ? MARKERS[a.char] : undefined;
    if (kind && opens(list, i)) {
      const end = findClose(list, i);
      if (end > 0) {
        flushText();
        nodes.push({ type: kind, children: format(list.slice(i + 1, end)) });
        i = end;
        continue;
      }
    }
    if (a.node) {
      flushText();
      nodes.push(a.node);
    } else {
      text += a.char;
    }
  }
  flushText();
  return nodes;
}

function opens(list, i) {
  const before = list[i - 1];
  const after = list[i + 1];
  return (!before || boundary(before)) && after !== undefined && !space(after);
}

function findClose(list, i) {
  const marker = list[i].char;
  for (let j = i + 2; j < list.length; j++) {
    const a = list[j];
    if (a.node?.type === 'br') return -1;
    if (a.literal || a.char !== marker) continue;
    const after = list[j + 1];
    if (!space(list[j - 1]) && (!after || boundary(after))) return j;
  }
  return -1;
}

function space(a) {
  return a.space === true || (a.char !== undefined && /\s/.test(a.char));
}

/** What may stand next to a marker: anything but a letter or digit. */
function boundary(a) {
  return a.node !== undefined || !/[\p{L}\p{N}]/u.test(a.char);
}

function decode(text) {
  return text.replace(/&(lt|gt|amp);/g, (e) => ENTITIES[e]);
}
