/**
 * The frame around the messages: the channel list with unread counts, the person switcher, and
 * the bot's state (top bar and the banner over the messages while it is not ready).
 */
import { h } from './dom.js';
import { avatar } from './messages.js';

const STATES = { starting: 'Starting the bot…', ready: 'Bot ready', stopped: 'Bot stopped' };

/**
 * @param {{id: string, name: string}[]} channels
 * @param {string} current
 * @param {Map<string, number>} unread
 * @param {(id: string) => void} open
 */
export function drawChannels(channels, current, unread, open) {
  const total = [...unread.values()].reduce((a, b) => a + b, 0);
  const here = channels.find((c) => c.id === current);
  document.title = `${total ? `(${total}) ` : ''}#${here?.name ?? ''} · Lambda sandbox`;
  document.getElementById('channel-list').replaceChildren(
    ...channels.map((c) => {
      const count = unread.get(c.id) ?? 0;
      return h(
        'li',
        {},
        h(
          'a',
          {
            href: `/archives/${c.id}`,
            class: `channel-item${c.id === current ? ' active' : ''}${count ? ' unread' : ''}`,
            'aria-current': c.id === current ? 'page' : undefined,
            onclick: (event) => {
              event.preventDefault();
              open(c.id);
            },
          },
          h('span', { class: 'hash', 'aria-hidden': 'true' }, '#'),
          h('span', { class: 'channel-item-name' }, c.name),
          count ? h('span', { class: 'badge-count', 'aria-label': `${count} unread` }, String(count)) : null,
        ),
      );
    }),
  );
}

/** The people the page can be used as, the current one selected, with their avatar. */
export function drawSwitcher(people, me) {
  const select = /** @type {HTMLSelectElement} */ (document.getElementById('user-switch'));
  const humans = [...people.values()].filter((p) => !p.isBot);
  select.replaceChildren(...humans.map((p) => h('option', { value: p.id }, `${p.realName} · ${p.title}`)));
  select.value = me;
  document
    .getElementById('me-avatar')
    .replaceWith(Object.assign(avatar(me, people.get(me), 'avatar-sm'), { id: 'me-avatar' }));
}

/** What the top bar and the banner say about the bot, and about the page's link to the sandbox. */
export function drawBotState(bot, connected) {
  const box = document.getElementById('bot-state');
  const banner = document.getElementById('starting');
  box.dataset.state = connected ? bot.state : 'disconnected';
  box.querySelector('.bot-state-text').textContent = connected ? STATES[bot.state] : 'Sandbox not running';
  banner.hidden = connected && bot.state === 'ready';
  banner.classList.toggle('problem', !connected || bot.state === 'stopped');
  banner.querySelector('.spinner').hidden = connected && bot.state === 'stopped';
  document.getElementById('starting-text').textContent = !connected
    ? 'Lost the sandbox. Is npm run sandbox still running? This page reconnects by itself.'
    : bot.state === 'stopped'
      ? bot.detail
      : 'Starting the bot… commands work as soon as it answers.';
}
