import { describe, expect, it } from 'vitest';
import { formatSlackDate } from '../../sandbox/console/static/dates.js';
import { parseMrkdwn } from '../../sandbox/console/static/mrkdwn.js';

/** The page's reading of Slack mrkdwn, on what the bot's messages actually contain. */
describe('parseMrkdwn', () => {
  it('bold, italic, strike and code, with Slack’s word boundaries', () => {
    expect(parseMrkdwn('*Status of* _now_ ~old~ `v4` payments_api_v2 2*3*4')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Status of' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'now' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'old' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'v4' },
      { type: 'text', text: ' payments_api_v2 2*3*4' },
    ]);
  });

  it('people, channels, broadcasts and dates; entities decoded in text only', () => {
    expect(
      parseMrkdwn(
        '<@U0ALICE> in <#C0APPROVALS|approvals> <!here> &lt;b&gt; <!date^1795000000^{date_short_pretty} {time}|2026-11-18T12:00:00Z>',
      ),
    ).toEqual([
      { type: 'user', id: 'U0ALICE' },
      { type: 'text', text: ' in ' },
      { type: 'channel', id: 'C0APPROVALS', label: 'approvals' },
      { type: 'text', text: ' ' },
      { type: 'broadcast', name: 'here' },
      { type: 'text', text: ' <b> ' },
      { type: 'date', ts: 1795000000, format: '{date_short_pretty} {time}', fallback: '2026-11-18T12:00:00Z' },
    ]);
  });

  it('links, with other tokens in their text as the bot writes them', () => {
    expect(parseMrkdwn('see <http://127.0.0.1:3000/archives/C0APPROVALS/p1|the request in <#C0APPROVALS>>.')).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'link',
        url: 'http://127.0.0.1:3000/archives/C0APPROVALS/p1',
        children: [
          { type: 'text', text: 'the request in ' },
          { type: 'channel', id: 'C0APPROVALS' },
        ],
      },
      { type: 'text', text: '.' },
    ]);
  });

  it('formatting around tokens, emoji, line breaks, quotes and fenced blocks', () => {
    expect(parseMrkdwn(':rocket: *<@U0BOB> approved*\n> quoted\n```a *b*```')).toEqual([
      { type: 'emoji', name: 'rocket' },
      { type: 'text', text: ' ' },
      {
        type: 'bold',
        children: [
          { type: 'user', id: 'U0BOB' },
          { type: 'text', text: ' approved' },
        ],
      },
      { type: 'quote', children: [{ type: 'text', text: 'quoted' }] },
      { type: 'pre', text: 'a *b*' },
    ]);
  });

  it('a marker or bracket without its pair is text', () => {
    expect(parseMrkdwn('5 * 3 and a < b, time 14:33:00')).toEqual([
      { type: 'text', text: '5 * 3 and a < b, time 14:33:00' },
    ]);
  });
});

describe('formatSlackDate', () => {
  const at = new Date(2026, 10, 26, 14, 33, 0).getTime() / 1000;
  it('says today, yesterday and tomorrow where Slack does, and how long ago', () => {
    const now = new Date(2026, 10, 26, 15, 0, 0).getTime();
    expect(formatSlackDate(at, '{date_short_pretty}', { now })).toBe('today');
    expect(formatSlackDate(at, '{date_pretty}', { now: now + 86_400_000 })).toBe('yesterday');
    expect(formatSlackDate(at, '{ago}', { now })).toBe('27 minutes ago');
    // ICU versions differ on the space before PM (U+0020 or U+202F).
    expect(formatSlackDate(at, '{date_num} {time}', { now, locale: 'en-US' }).replace(/\s/gu, ' ')).toBe(
      '2026-11-26 2:33 PM',
    );
    expect(formatSlackDate(at, '{date_long}', { now, locale: 'en-US' })).toBe('Thursday, November 26th, 2026');
  });
});
