/**
 * The message box: `/lambda …` goes to the bot as a slash command, anything else is a message in
 * the channel. ↑/↓ walk through earlier commands (kept in this browser); the chips above the box
 * fill in commands that work on the demo's data.
 */
import { h } from './dom.js';

const HISTORY_KEY = 'lambda-sandbox.history';
const HISTORY_MAX = 50;

export class Composer {
  /**
   * @param {{ send: (text: string) => Promise<void>, canSendCommands: () => string | undefined }} deps
   *   `canSendCommands` says why a command cannot go now (the bot is starting), or nothing.
   */
  constructor(deps) {
    this.deps = deps;
    this.form = document.getElementById('composer');
    this.input = /** @type {HTMLInputElement} */ (document.getElementById('composer-input'));
    this.hint = document.getElementById('composer-hint');
    this.history = load();
    this.cursor = this.history.length;
    this.draft = '';
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.input.addEventListener('keydown', (event) => this.key(event));
  }

  suggest(commands) {
    document
      .getElementById('suggestions')
      .replaceChildren(
        h('span', { class: 'suggestions-label' }, 'Try'),
        ...commands.map((c) =>
          h(
            'button',
            { type: 'button', class: 'chip', onclick: () => this.fill(c), title: `Put “${c}” in the box` },
            c,
          ),
        ),
      );
  }

  placeholder(channelName) {
    this.input.placeholder = `Message #${channelName}, or type /lambda help`;
  }

  fill(text) {
    this.input.value = text;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  focus() {
    this.input.focus();
  }

  async submit() {
    const text = this.input.value.trim();
    if (!text) return;
    const blocked = text.startsWith('/') ? this.deps.canSendCommands() : undefined;
    if (blocked) {
      this.say(blocked, true);
      return;
    }
    this.remember(text);
    this.input.value = '';
    this.say('↑ and ↓ go through your earlier commands.');
    try {
      await this.deps.send(text);
    } catch (error) {
      this.say(`Not sent: ${error.message}`, true);
    }
  }

  say(text, problem = false) {
    this.hint.textContent = text;
    this.hint.classList.toggle('problem', problem);
  }

  key(event) {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    if (this.history.length === 0) return;
    event.preventDefault();
    if (this.cursor === this.history.length) this.draft = this.input.value;
    this.cursor = Math.max(0, Math.min(this.history.length, this.cursor + (event.key === 'ArrowUp' ? -1 : 1)));
    this.fill(this.cursor === this.history.length ? this.draft : this.history[this.cursor]);
  }

  remember(text) {
    if (!text.startsWith('/')) return;
    this.history = [...this.history.filter((t) => t !== text), text].slice(-HISTORY_MAX);
    this.cursor = this.history.length;
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(this.history));
    } catch {
      // Private windows may refuse storage: the history then lasts as long as the page.
    }
  }
}

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(saved) ? saved.filter((t) => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
