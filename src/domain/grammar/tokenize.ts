/**
 * Splits slash-command text into words, keeping quoted phrases together.
 *
 * Slack clients turn straight quotes into typographic ones ("smart quotes"), so “…” and ‘…’
 * group words just as "…" and '…' do. Slack also escapes &, < and > in command text; they
 * are decoded here so that a description reads as it was typed.
 */

export type Tokenized =
  | { readonly ok: true; readonly words: string[] }
  | { readonly ok: false; readonly problem: string };

const CLOSING: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\u201C': '\u201D',
  '\u201D': '\u201D',
  '\u2018': '\u2019',
  '\u2019': '\u2019',
};
const SPACE = /\s/;
/** Far more than any real command; bounds the work done on a pasted wall of text. */
export const MAX_COMMAND_LENGTH = 4000;

export function tokenize(raw: string): Tokenized {
  if (raw.length > MAX_COMMAND_LENGTH) {
    return { ok: false, problem: `the command is longer than ${MAX_COMMAND_LENGTH} characters` };
  }
  const text = decodeSlackEscapes(raw);
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    let word = '';
    let quoted = false;
    while (i < text.length && !SPACE.test(text[i] as string)) {
      const c = text[i] as string;
      const close = CLOSING[c];
      if (close === undefined) {
        word += c;
        i++;
        continue;
      }
      const end = text.indexOf(close, i + 1);
      // Typographic quotes are sometimes unbalanced (“ closed by "), so accept either closer.
      const altEnd = close === '\u201D' ? text.indexOf('"', i + 1) : -1;
      const stop = end === -1 ? altEnd : altEnd === -1 ? end : Math.min(end, altEnd);
      if (stop === -1) return { ok: false, problem: `a quote (${c}) is not closed` };
      word += text.slice(i + 1, stop);
      quoted = true;
      i = stop + 1;
    }
    if (word.length > 0 || quoted) words.push(word);
  }
  return { ok: true, words };
}

function decodeSlackEscapes(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}
