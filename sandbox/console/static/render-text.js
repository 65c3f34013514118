/**
 * mrkdwn and plain_text objects as DOM: the parsed tree (mrkdwn.js) with names looked up (people,
 * channels), dates in the reader's time zone, emoji as characters, and links that stay in the
 * console when they point into it.
 */
import { formatSlackDate } from './dates.js';
import { append, h } from './dom.js';
import { EMOJI } from './emoji.js';
import { parseMrkdwn } from './mrkdwn.js';

/**
 * @typedef {{
 *   person: (id: string) => {name: string, realName: string} | undefined,
 *   channel: (id: string) => {name: string} | undefined,
 *   openChannel: (id: string, ts?: string) => void,
 * }} Directory
 */

/** A text object (`{type: 'mrkdwn' | 'plain_text', text}`) or a bare mrkdwn string. */
export function renderText(text, dir) {
  if (text && typeof text === 'object') {
    return text.type === 'plain_text' ? document.createTextNode(plainText(text)) : renderMrkdwn(text.text ?? '', dir);
  }
  return renderMrkdwn(String(text ?? ''), dir);
}

/** Plain text shows emoji codes as emoji, as Slack does with `emoji: true` (the default). */
export function plainText(text) {
  const value = String(text?.text ?? '');
  return text?.emoji === false ? value : value.replace(/:([a-z][a-z0-9_+-]*):/g, (m, name) => EMOJI[name] ?? m);
}

export function renderMrkdwn(text, dir) {
  const fragment = document.createDocumentFragment();
  append(
    fragment,
    parseMrkdwn(text).map((n) => node(n, dir)),
  );
  return fragment;
}

function node(n, dir) {
  const children = () => (n.children ?? []).map((c) => node(c, dir));
  switch (n.type) {
    case 'text':
      return n.text;
    case 'bold':
      return h('strong', {}, children());
    case 'italic':
      return h('em', {}, children());
    case 'strike':
      return h('s', {}, children());
    case 'code':
      return h('code', {}, n.text);
    case 'pre':
      return h('pre', {}, n.text);
    case 'quote':
      return h('blockquote', {}, children());
    case 'br':
      return h('br');
    case 'emoji':
      return EMOJI[n.name] ? h('span', { class: 'emoji', title: `:${n.name}:` }, EMOJI[n.name]) : `:${n.name}:`;
    case 'user': {
      const person = dir.person(n.id);
      return h('span', { class: 'mention', title: person?.realName ?? n.id }, `@${person?.name ?? n.label ?? n.id}`);
    }
    case 'usergroup':
      return h('span', { class: 'mention' }, n.label ?? `@${n.id}`);
    case 'broadcast':
      return h('span', { class: 'mention mention-broadcast' }, `@${n.name}`);
    case 'channel': {
      const name = dir.channel(n.id)?.name ?? n.label ?? n.id;
      return h('a', { class: 'channel-link', href: `/archives/${n.id}`, onclick: internal(dir, n.id) }, `#${name}`);
    }
    case 'date': {
      const shown = formatSlackDate(n.ts, n.format);
      const when = h('time', { datetime: new Date(n.ts * 1000).toISOString(), title: n.fallback || undefined }, shown);
      return n.link && safeUrl(n.link) ? h('a', { href: n.link, target: '_blank', rel: 'noopener' }, when) : when;
    }
    case 'link':
      return link(n, children(), dir);
    default:
      return '';
  }
}

/** Links into the console (permalinks) open in place; others in a new tab; unsafe ones are text. */
function link(n, children, dir) {
  if (!safeUrl(n.url)) return h('span', {}, children);
  const url = new URL(n.url, location.href);
  const permalink = url.origin === location.origin && /^\/archives\/([A-Z0-9]+)(?:\/p(\d+))?/.exec(url.pathname);
  if (permalink) {
    const ts = permalink[2] ? `${permalink[2].slice(0, -6)}.${permalink[2].slice(-6)}` : undefined;
    return h('a', { href: url.pathname, onclick: internal(dir, permalink[1], ts) }, children);
  }
  return h('a', { href: n.url, target: '_blank', rel: 'noopener noreferrer' }, children);
}

function internal(dir, channel, ts) {
  return (event) => {
    event.preventDefault();
    dir.openChannel(channel, ts);
  };
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url);
}
