/**
 * The page: one person's view of the demo workspace. It loads that person's state, follows the
 * server's events (new and changed messages, the bot's state), and draws the sidebar, the
 * channel, the open thread and the emulator panel. Switching person reloads the view, since
 * ephemeral messages belong to one person.
 */
import { api } from './api.js';
import { drawBotState, drawChannels, drawSwitcher } from './chrome.js';
import { Composer } from './composer.js';
import { confirmDialog } from './confirm.js';
import { drawHome } from './home.js';
import { compareTs, keyOf, MessageList } from './messages.js';
import { AwsPanel } from './panel.js';

const ME_KEY = 'lambda-sandbox.me';
/** A clicked button waits this long for the message to change before it is usable again. */
const CLICK_WAIT_MS = 5000;

const state = {
  me: localStorage.getItem(ME_KEY) ?? '',
  people: new Map(),
  channels: [],
  /** key → message, every message this person sees */
  messages: new Map(),
  current: '',
  unread: new Map(),
  bot: { state: 'starting' },
  connected: false,
  thread: undefined,
  dismissed: new Set(),
  events: undefined,
  suggestions: [],
  botUser: '',
  /** 'home' while the Home tab is shown instead of a channel. */
  view: 'channel',
  /** This person's Home tab as the bot last published it. */
  home: undefined,
  /** Events that arrive while the state is being (re)loaded wait here, to be applied after it. */
  pending: undefined,
};

const directory = {
  person: (id) => state.people.get(id),
  channel: (id) => state.channels.find((c) => c.id === id),
  openChannel: (id, ts) => openChannel(id, ts),
};

const listCtx = {
  ...directory,
  onButton: (button, blockId, el) => void click(button, blockId, el),
  replies: (m) => replies(m),
  openThread: (m) => openThread(m),
  dismiss: (m) => {
    state.dismissed.add(keyOf(m));
    channelList.remove(keyOf(m));
  },
};

const homeCtx = {
  ...directory,
  onButton: (button, blockId, el) => void homeClick(button, blockId, el),
};

const channelList = new MessageList(document.getElementById('messages'), listCtx);
const threadList = new MessageList(document.getElementById('thread-messages'), { ...listCtx, openThread: undefined });
const composer = new Composer({
  send: (text) => send(text),
  canSendCommands: () =>
    !state.connected
      ? 'The sandbox is not running: start it again with npm run sandbox.'
      : state.bot.state === 'ready'
        ? undefined
        : state.bot.state === 'starting'
          ? 'The bot is still starting: try again in a moment.'
          : 'The bot has stopped: see the terminal for its log.',
});
const panel = new AwsPanel();

/** Loads this person's state; events that arrive meanwhile are applied after it, so none is lost. */
async function load() {
  state.pending = [];
  try {
    await loadState();
  } finally {
    const pending = state.pending;
    state.pending = undefined;
    for (const event of pending) event();
  }
}

async function loadState() {
  let data = await api.state(state.me);
  // Someone remembered from another sandbox: start as this workspace's first person instead.
  if (!data.people && state.me) data = await api.state('');
  if (!data.people) throw new Error(data.error ?? 'no state');
  state.me = data.me;
  state.people = new Map(data.people.map((p) => [p.id, p]));
  state.channels = data.channels;
  state.messages = new Map(data.messages.map((m) => [keyOf(m), m]));
  state.suggestions = data.suggestions;
  state.botUser = data.botUser;
  state.home = data.home;
  document.getElementById('team-name').textContent = data.team.name;
  setBot(data.bot);
  drawSwitcher(state.people, state.me);
  composer.suggest(state.suggestions);
  const fromUrl = /^\/archives\/([A-Z0-9]+)/.exec(location.pathname)?.[1];
  if (state.view === 'home' || location.pathname === '/home') openHome(false);
  else openChannel(state.current || fromUrl || state.channels[0]?.id, undefined, false);
  // Who the page is for, once drawn: for people reading the DOM and for the browser test.
  document.body.dataset.me = state.me;
}

function connect() {
  state.events?.close();
  const events = api.events(state.me);
  state.events = events;
  let lost = false;
  events.addEventListener('open', () => {
    setConnected(true);
    // Events sent while the stream was down are gone: start again from the server's state.
    if (lost) void load();
    lost = false;
  });
  events.addEventListener('error', () => {
    lost = true;
    setConnected(false);
  });
  const on = (name, handle) =>
    events.addEventListener(name, (e) => {
      const apply = () => handle(JSON.parse(e.data));
      if (state.pending) state.pending.push(apply);
      else apply();
    });
  on('message', receive);
  on('delete', ({ channel, ts }) => {
    state.messages.delete(`${channel}/${ts}`);
    channelList.remove(`${channel}/${ts}`);
    threadList.remove(`${channel}/${ts}`);
  });
  on('channel', (channel) => {
    if (!state.channels.some((c) => c.id === channel.id)) state.channels.push(channel);
    redrawChannels();
  });
  on('bot', setBot);
  on('home', (home) => {
    state.home = home;
    if (state.view !== 'home') return;
    drawHome(home, homeCtx);
    release();
    flash(document.getElementById('home-view'));
  });
}

function receive(m) {
  if (m.user === state.botUser) panel.soon();
  const key = keyOf(m);
  const isNew = !state.messages.has(key);
  state.messages.set(key, m);
  if (state.dismissed.has(key)) return;
  const reply = m.thread_ts && m.thread_ts !== m.ts;
  if (reply) {
    const parent = state.messages.get(`${m.channel}/${m.thread_ts}`);
    if (parent && m.channel === state.current) channelList.upsert(parent);
    if (state.thread && state.thread.channel === m.channel && state.thread.ts === m.thread_ts) threadList.upsert(m);
    return;
  }
  // The answer to a click (a refusal, say) came: its button need not wait any longer.
  if (isNew && m.ephemeral && m.channel === state.current) release();
  if (m.channel === state.current) {
    const list = document.getElementById('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    channelList.upsert(m);
    // Stay at the newest message when it arrives or grows, unless the reader scrolled up.
    if (atBottom || (isNew && m.user === state.me)) list.scrollTop = list.scrollHeight;
    if (!isNew) flash(channelList.element(key));
  } else if (isNew) {
    state.unread.set(m.channel, (state.unread.get(m.channel) ?? 0) + 1);
    redrawChannels();
  }
  if (state.thread && keyOf(state.thread) === key) threadList.upsert(m);
}

function replies(m) {
  return [...state.messages.values()]
    .filter((r) => r.channel === m.channel && r.thread_ts === m.ts && r.ts !== m.ts)
    .sort((a, b) => compareTs(a.ts, b.ts));
}

function openChannel(id, ts, push = true) {
  const channel = state.channels.find((c) => c.id === id) ?? state.channels[0];
  if (!channel) return;
  state.current = channel.id;
  state.view = 'channel';
  showView();
  state.unread.delete(channel.id);
  document.getElementById('channel-name').textContent = `# ${channel.name}`;
  document.getElementById('channel-purpose').textContent = channel.purpose ?? '';
  composer.placeholder(channel.name);
  const shown = [...state.messages.values()].filter(
    (m) => m.channel === channel.id && (!m.thread_ts || m.thread_ts === m.ts) && !state.dismissed.has(keyOf(m)),
  );
  channelList.reset(shown);
  redrawChannels();
  const list = document.getElementById('messages');
  const target = ts ? channelList.element(`${channel.id}/${ts}`) : undefined;
  if (target) {
    target.scrollIntoView({ block: 'center' });
    flash(target);
  } else {
    list.scrollTop = list.scrollHeight;
  }
  if (push) history.replaceState(null, '', `/archives/${channel.id}`);
}

/** Shows the Home tab; Slack tells the app each time (app_home_opened), and the app publishes it. */
function openHome(push = true) {
  state.view = 'home';
  showView();
  document.getElementById('channel-name').textContent = 'Home';
  drawHome(state.home, homeCtx);
  redrawChannels();
  if (push) history.replaceState(null, '', '/home');
  if (state.connected && state.bot.state === 'ready') void api.openHome(state.me);
}

function showView() {
  const home = state.view === 'home';
  document.getElementById('channel').dataset.view = state.view;
  document.getElementById('home-view').hidden = !home;
  const entry = document.getElementById('home-entry');
  entry.classList.toggle('active', home);
  if (home) entry.setAttribute('aria-current', 'page');
  else entry.removeAttribute('aria-current');
}

async function homeClick(button, blockId, el) {
  if (button.confirm && !(await confirmDialog(button.confirm, directory))) return;
  el.disabled = true;
  el.classList.add('busy');
  setTimeout(() => release(el), CLICK_WAIT_MS);
  const answer = await api.homeClick(state.me, blockId, button.action_id);
  if (!answer.ok) release(el);
}

function openThread(m) {
  state.thread = m;
  document.getElementById('thread').hidden = false;
  document.getElementById('panel').hidden = true;
  threadList.reset([m, ...replies(m)]);
}

function closeThread() {
  state.thread = undefined;
  document.getElementById('thread').hidden = true;
  document.getElementById('panel').hidden = false;
}

async function click(button, blockId, el) {
  const li = el.closest('li.msg');
  const [channel, ts] = li.dataset.key.split('/');
  if (button.confirm && !(await confirmDialog(button.confirm, directory))) return;
  el.disabled = true;
  el.classList.add('busy');
  // The message is redrawn when the bot updates it; if it does not, the button comes back.
  setTimeout(() => release(el), CLICK_WAIT_MS);
  const answer = await api.click(state.me, channel, ts, blockId, button.action_id);
  if (!answer.ok) release(el);
}

/** Makes a clicked button (or every one still waiting) usable again. */
function release(el) {
  for (const button of el ? [el] : document.querySelectorAll('.btn.busy')) {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

async function send(text) {
  const answer = await api.command(state.me, state.current, text);
  if (!answer.ok && answer.error) composer.say(answer.error, true);
}

function setBot(bot) {
  state.bot = bot;
  drawBotState(bot, state.connected);
}

function setConnected(connected) {
  state.connected = connected;
  drawBotState(state.bot, connected);
}

function redrawChannels() {
  drawChannels(state.channels, state.view === 'home' ? '' : state.current, state.unread, (id) => openChannel(id));
}

function flash(el) {
  if (!el) return;
  el.classList.remove('flash');
  void el.offsetWidth;
  el.classList.add('flash');
}

async function switchTo(user) {
  state.me = user;
  localStorage.setItem(ME_KEY, user);
  state.unread.clear();
  state.dismissed.clear();
  closeThread();
  connect();
  await load();
  composer.focus();
}

async function boot() {
  document.getElementById('user-switch').addEventListener('change', (e) => void switchTo(e.target.value));
  document.getElementById('thread-close').addEventListener('click', closeThread);
  document.getElementById('home-entry').addEventListener('click', (event) => {
    event.preventDefault();
    openHome();
  });
  connect();
  await load();
  panel.start();
  composer.focus();
}

boot().catch((error) => {
  setConnected(false);
  document.getElementById('starting-text').textContent = `The page could not load: ${error.message}`;
});
