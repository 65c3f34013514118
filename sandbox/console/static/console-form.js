/**
 * "At the AWS console": someone with console access (an IAM user with keys of their own) moves an
 * alias or publishes a version, outside the bot, in a place of their account. The bot notices it at
 * its next watch and posts who did it in #alerts.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { AliasPicker, servingVersions } from './picker.js';

export class ConsoleForm {
  /** @param {() => Promise<void>} refresh redraws the panel after a change */
  constructor(refresh) {
    this.refresh = refresh;
    this.form = document.getElementById('act-form');
    this.user = /** @type {HTMLSelectElement} */ (document.getElementById('act-user'));
    this.status = document.getElementById('act-status');
    this.users = [];
    this.places = [];
    this.target = new AliasPicker('act', {
      // Their key acts in their own account only.
      places: (all) => all.filter((p) => p.accountId === this.currentUser()?.accountId),
      // A move to the version the alias serves would change nothing: the newest it does not serve.
      version: (f, alias) => {
        const serving = alias ? servingVersions(alias) : [];
        return (f.versions.findLast((v) => !serving.includes(v.version)) ?? f.versions.at(-1))?.version ?? '';
      },
    });
    this.user.addEventListener('change', () => this.target.update(this.places));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.act('move');
    });
    document.getElementById('act-publish').addEventListener('click', () => void this.act('publish'));
  }

  /** Takes a new snapshot: its IAM users, then its places. */
  update(data) {
    this.users = data.users ?? [];
    this.places = data.places;
    const names = this.users.map((u) => u.name);
    if ([...this.user.options].map((o) => o.value).join() !== names.join()) {
      const keep = this.user.value;
      // `mallory · prod · 222222222222`: the account as the policy names it, and its ID.
      const account = (id) => data.places.find((p) => p.accountId === id)?.account;
      this.user.replaceChildren(
        ...this.users.map((u) =>
          h(
            'option',
            { value: u.name, title: u.arn },
            [u.name, account(u.accountId), u.accountId].filter(Boolean).join(' · '),
          ),
        ),
      );
      this.user.value = names.includes(keep) ? keep : (names[0] ?? '');
    }
    this.target.update(this.places);
  }

  currentUser() {
    return this.users.find((u) => u.name === this.user.value);
  }

  async act(kind) {
    const user = this.currentUser();
    const place = this.target.currentPlace();
    const t = this.target;
    if (!user || !place || !t.fn.value) return;
    const answer = await api.act({
      user: user.name,
      account: place.accountId,
      region: place.region,
      kind,
      function: t.fn.value,
      ...(kind === 'move' ? { alias: t.alias.value, version: t.version.value } : {}),
    });
    this.status.classList.toggle('problem', !answer.ok);
    // Moved: the version picked is served now, and the form offers the next one again.
    if (answer.ok && kind === 'move') this.target.picked = false;
    const fn = `${t.fn.value} (${place.account}/${place.region})`;
    this.status.textContent = !answer.ok
      ? `AWS refused it: ${answer.error}`
      : answer.kind === 'move'
        ? `As ${user.name}: ${t.describe()} moved from v${answer.from} to v${answer.to}. The bot looks every 10 s: watch #alerts.`
        : answer.created
          ? `As ${user.name}: published v${answer.version} of ${fn}. The bot notes it in #alerts within 10 s.`
          : `Nothing new to publish: $LATEST of ${fn} is v${answer.version} already.`;
    await this.refresh();
  }
}
