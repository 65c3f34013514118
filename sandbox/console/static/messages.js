/**
 * A list of messages as a chat client shows it: author with avatar, time, "edited", the blocks
 * (or the text when there are none), "Only visible to you" on ephemeral messages, and a thread's
 * reply count. Kept in order by ts; a message is redrawn in place when it changes, and messages
 * of one author in a row are grouped.
 */
import { renderBlocks } from './blocks.js';
import { h, initials } from './dom.js';
import { renderMrkdwn } from './render-text.js';

/** Consecutive messages of one author closer than this share one header. */
const GROUP_MS = 5 * 60_000;

export function keyOf(m) {
  return `${m.channel}/${m.ts}`;
}

export function compareTs(a, b) {
  const [as, af] = a.split('.').map(Number);
  const [bs, bf] = b.split('.').map(Number);
  return as - bs || af - bf;
}

export class MessageList {
  /**
   * @param {HTMLOListElement} list
   * @param {object} ctx directory, onButton, replies(m), openThread(m), dismiss(m)
   */
  constructor(list, ctx) {
    this.list = list;
    this.ctx = ctx;
    this.items = new Map();
  }

  /** Draws exactly these messages. */
  reset(messages) {
    this.items.clear();
    this.list.replaceChildren();
    for (const m of [...messages].sort((a, b) => compareTs(a.ts, b.ts))) this.upsert(m);
  }

  /** Adds or redraws one message; true when it was new. */
  upsert(m) {
    const key = keyOf(m);
    const item = renderMessage(m, this.ctx);
    const old = this.items.get(key);
    this.items.set(key, { m, el: item });
    if (old) {
      old.el.replaceWith(item);
    } else {
      const next = [...this.items.values()].find((i) => i.el.isConnected && compareTs(i.m.ts, m.ts) > 0);
      this.list.insertBefore(item, next ? next.el : null);
    }
    this.regroup(item);
    if (item.nextElementSibling) this.regroup(item.nextElementSibling);
    return !old;
  }

  remove(key) {
    const item = this.items.get(key);
    if (!item) return;
    const next = item.el.nextElementSibling;
    item.el.remove();
    this.items.delete(key);
    if (next) this.regroup(next);
  }

  has(key) {
    return this.items.has(key);
  }

  element(key) {
    return this.items.get(key)?.el;
  }

  regroup(el) {
    const prev = el.previousElementSibling;
    const m = this.items.get(el.dataset.key)?.m;
    const p = prev ? this.items.get(prev.dataset.key)?.m : undefined;
    const same =
      m && p && m.user === p.user && m.ephemeral === p.ephemeral && tsMs(m.ts) - tsMs(p.ts) < GROUP_MS && !p.hasThread;
    el.classList.toggle('compact', Boolean(same));
  }
}

function tsMs(ts) {
  return Number(ts.split('.')[0]) * 1000;
}

export function renderMessage(m, ctx) {
  const person = ctx.person(m.user);
  const name = person?.realName ?? m.user;
  const isBot = person?.isBot === true;
  const time = new Date(tsMs(m.ts));
  const replies = ctx.replies(m);
  m.hasThread = replies.length > 0;
  const body =
    Array.isArray(m.blocks) && m.blocks.length > 0
      ? renderBlocks(m.blocks, ctx)
      : h('div', { class: 'msg-text' }, renderMrkdwn(m.text, ctx));
  return h(
    'li',
    {
      class: `msg${m.ephemeral ? ' ephemeral' : ''}`,
      'data-key': keyOf(m),
      'data-user': m.user,
      'aria-label': `${name}${m.ephemeral ? ', only visible to you' : ''}`,
    },
    avatar(m.user, person),
    h(
      'div',
      { class: 'msg-main' },
      h(
        'div',
        { class: 'msg-head' },
        h('span', { class: 'msg-author' }, name),
        isBot && m.user !== 'USLACKBOT' ? h('span', { class: 'badge-app' }, 'APP') : null,
        h(
          'time',
          { class: 'msg-time', datetime: time.toISOString(), title: time.toLocaleString() },
          time.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }),
        ),
        m.edited ? h('span', { class: 'edited' }, '(edited)') : null,
      ),
      body,
      m.ephemeral
        ? h(
            'div',
            { class: 'ephemeral-note' },
            h('span', { 'aria-hidden': 'true' }, '👁'),
            ' Only visible to you · ',
            h('button', { type: 'button', class: 'link-button', onclick: () => ctx.dismiss(m) }, 'Dismiss'),
          )
        : null,
      replies.length > 0 && ctx.openThread
        ? h(
            'button',
            { type: 'button', class: 'thread-summary', onclick: () => ctx.openThread(m) },
            h('span', { class: 'thread-count' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
            h(
              'span',
              { class: 'thread-last' },
              `Last reply ${new Date(tsMs(replies.at(-1).ts)).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}`,
            ),
          )
        : null,
    ),
  );
}

/** Initials on a colour of the person's own; the bot gets its λ, Slackbot its mark. */
export function avatar(id, person, size = '') {
  const glyph = id === 'USLACKBOT' ? '✱' : person?.isBot ? 'λ' : initials(person?.realName ?? id);
  return h(
    'span',
    { class: `avatar ${size} ${person?.isBot ? 'avatar-bot' : ''}`, style: `--hue: ${hue(id)}`, 'aria-hidden': 'true' },
    glyph,
  );
}

function hue(id) {
  let n = 0;
  for (const c of String(id)) n = (n * 31 + c.charCodeAt(0)) % 360;
  return n;
}
