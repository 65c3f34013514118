import { describe, expect, it } from 'vitest';
import { closest } from '../../../src/domain/grammar/suggest.js';
import { MAX_COMMAND_LENGTH, tokenize } from '../../../src/domain/grammar/tokenize.js';

describe('tokenize', () => {
  it('splits on any white space', () => {
    expect(tokenize('  promote\tfn:prod \u00a0 3 ')).toEqual({ ok: true, words: ['promote', 'fn:prod', '3'] });
  });

  it('keeps straight and typographic quoted phrases together', () => {
    expect(tokenize(`publish fn "fix the retry loop"`)).toEqual({
      ok: true,
      words: ['publish', 'fn', 'fix the retry loop'],
    });
    expect(tokenize('publish fn \u201Cfix it\u201D')).toEqual({ ok: true, words: ['publish', 'fn', 'fix it'] });
    expect(tokenize("publish fn 'it\u2019s fine'")).toMatchObject({
      ok: true,
      words: ['publish', 'fn', 'it\u2019s fine'],
    });
    expect(tokenize('publish fn \u2018x y\u2019')).toEqual({ ok: true, words: ['publish', 'fn', 'x y'] });
  });

  it('accepts a typographic opening quote closed by a straight one', () => {
    expect(tokenize('a \u201Cb c"')).toEqual({ ok: true, words: ['a', 'b c'] });
  });

  it('keeps an empty quoted word', () => {
    expect(tokenize('a ""')).toEqual({ ok: true, words: ['a', ''] });
  });

  it('joins a quoted part to the word around it', () => {
    expect(tokenize('--reason="bad deploy"')).toEqual({ ok: true, words: ['--reason=bad deploy'] });
  });

  it('decodes the escapes Slack applies to command text', () => {
    expect(tokenize('publish fn "a &amp; b &lt;c&gt;"')).toEqual({ ok: true, words: ['publish', 'fn', 'a & b <c>'] });
  });

  it('reports an unclosed quote', () => {
    expect(tokenize('publish fn "oops')).toEqual({ ok: false, problem: 'a quote (") is not closed' });
  });

  it('refuses text beyond the length limit', () => {
    expect(tokenize('x'.repeat(MAX_COMMAND_LENGTH + 1)).ok).toBe(false);
  });
});

describe('closest', () => {
  const verbs = ['promote', 'publish', 'rollback', 'status', 'shift', 'pause', 'resume'];

  it.each([
    ['promte', 'promote'],
    ['porm0te', 'promote'],
    ['pxrmxtx', undefined],
    ['rollbak', 'rollback'],
    ['stauts', 'status'],
    ['PROMOTE', 'promote'],
    ['prom', 'promote'],
    ['rollb', 'rollback'],
    ['shfit', 'shift'],
    ['xyz', undefined],
    ['p', undefined],
    ['pu', undefined],
  ])('%s → %s', (input, expected) => {
    expect(closest(input, verbs)).toBe(expected);
  });
});
