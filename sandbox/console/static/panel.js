/**
 * The side panel: what the emulator's AWS looks like now, one account and region at a time
 * (aliases and their routing, alarm states, versions made to misbehave), refreshed every two
 * seconds; "Make it fail", which sets one version's error rate and duration on one alias in one
 * place through the emulator's traffic API; "At the AWS console" (console-form.js); and the audit
 * archive's segments (archive.js).
 */
import { api } from './api.js';
import { archiveSection } from './archive.js';
import { ConsoleForm } from './console-form.js';
import { h } from './dom.js';
import { AliasPicker, placeId, placeName, servingVersions } from './picker.js';

const REFRESH_MS = 2000;
const HEALTHY = 0.002;

export class AwsPanel {
  constructor() {
    this.box = document.getElementById('aws-state');
    this.form = document.getElementById('fail-form');
    // Until someone picks a version, the form follows the version the alias serves (the newest, in a canary).
    this.target = new AliasPicker('fail', {
      version: (f, alias) => (alias ? servingVersions(alias).at(-1) : undefined) ?? f.versions.at(-1)?.version ?? '',
    });
    this.errors = /** @type {HTMLInputElement} */ (document.getElementById('fail-errors'));
    this.latency = /** @type {HTMLInputElement} */ (document.getElementById('fail-latency'));
    this.status = document.getElementById('fail-status');
    this.console = new ConsoleForm(() => this.refresh());
    this.errors.addEventListener('input', () => this.showRate());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.apply(Number(this.errors.value) / 100, Number(this.latency.value));
    });
    document
      .getElementById('fail-heal')
      .addEventListener('click', () => void this.apply(HEALTHY, this.healthyDuration()));
    this.showRate();
  }

  start() {
    const tick = async () => {
      if (!document.hidden) await this.refresh();
      setTimeout(tick, REFRESH_MS);
    };
    void tick();
  }

  /** Refreshes shortly: a message from the bot usually means AWS just changed. */
  soon() {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), 300);
  }

  async refresh() {
    const data = await api.aws().catch(() => undefined);
    if (!data?.places) {
      this.box.replaceChildren(
        h('p', { class: 'muted' }, data?.error ? `${data.error}…` : 'The emulator does not answer.'),
      );
      return;
    }
    this.box.replaceChildren(...data.places.map((p) => group(p)), data.archive ? archiveSection(data.archive) : '');
    this.target.update(data.places);
    this.console.update(data);
  }

  healthyDuration() {
    return this.target.currentAlias()?.traffic?.default?.durationMs ?? 100;
  }

  showRate() {
    document.getElementById('fail-errors-out').textContent = `${this.errors.value}%`;
  }

  async apply(errorRate, durationMs) {
    const t = this.target;
    const place = t.currentPlace();
    const target = { function: t.fn.value, alias: t.alias.value, version: t.version.value };
    if (!place || !target.function || !target.alias || !target.version) return;
    const answer = await api.traffic({
      account: place.accountId,
      region: place.region,
      ...target,
      errorRate,
      durationMs,
    });
    const where = `${t.describe()} v${target.version}`;
    this.status.classList.toggle('problem', !answer.ok);
    this.status.textContent = answer.ok
      ? errorRate === HEALTHY
        ? `${where} is healthy again.`
        : `${where} now fails ${Math.round(errorRate * 100)}% of calls at ~${durationMs} ms. Watch #alerts: an alarm needs one 10 s period, the bot polls every 5 s.`
      : `Not changed: ${answer.error}`;
    await this.refresh();
  }
}

function group(p) {
  return h(
    'section',
    { class: 'place', 'data-place': placeId(p), 'aria-label': placeName(p) },
    h(
      'h3',
      { class: 'place-head' },
      h('span', { class: 'place-account' }, p.account),
      ' · ',
      h('span', { class: 'place-id' }, p.accountId),
      ' · ',
      h('span', { class: 'place-region' }, p.region),
    ),
    p.functions.length > 0 ? p.functions.map((f) => card(f)) : h('p', { class: 'muted small' }, 'No functions.'),
  );
}

function card(f) {
  const alarming = f.alarms.filter((a) => a.state === 'ALARM');
  const summary =
    alarming.length > 0
      ? h('span', { class: 'state state-alarm' }, `${alarming.length} in ALARM`)
      : h('span', { class: 'state state-ok' }, `${f.alarms.length} alarms OK`);
  return h(
    'div',
    { class: 'fn-card' },
    h('div', { class: 'fn-head' }, h('span', { class: 'fn-name' }, f.name), summary),
    // The same AWS name is in several places; the bot knows each by its own name.
    f.key && f.key !== f.name
      ? h(
          'div',
          { class: 'fn-key', title: 'The name /lambda commands use for this function' },
          'In /lambda: ',
          h('code', {}, f.key),
        )
      : null,
    h(
      'ul',
      { class: 'alias-list' },
      f.aliases.map((a) =>
        h('li', {}, h('span', { class: 'alias-name' }, a.name), h('span', { class: 'route' }, routing(a)), sick(a)),
      ),
    ),
    alarming.length > 0
      ? h(
          'ul',
          { class: 'alarm-list' },
          alarming.map((a) => h('li', {}, h('span', { class: 'dot dot-alarm', 'aria-hidden': 'true' }), a.name)),
        )
      : null,
  );
}

function routing(alias) {
  const extra = Object.entries(alias.additional ?? {});
  if (extra.length === 0) return `v${alias.version}`;
  const share = extra.reduce((sum, [, w]) => sum + w, 0);
  return [`v${alias.version} ${pct(1 - share)}`, ...extra.map(([v, w]) => `v${v} ${pct(w)}`)].join(' · ');
}

/** Versions this alias's simulated traffic makes misbehave; greyed when they get no traffic now. */
function sick(alias) {
  const t = alias.traffic;
  if (!t) return null;
  const serving = servingVersions(alias);
  const bad = Object.entries(t.versions ?? {}).filter(
    ([, p]) => p.errorRate > HEALTHY || p.durationMs > (t.default?.durationMs ?? 100) * 2,
  );
  return bad.map(([v, p]) => {
    const idle = !serving.includes(v);
    return h(
      'span',
      {
        class: `sick${idle ? ' idle' : ''}`,
        title: `v${v} is set to fail ${pct(p.errorRate)} of calls at ~${p.durationMs} ms${idle ? '; it gets no traffic now' : ''}`,
      },
      `v${v}: ${pct(p.errorRate)} errors, ${p.durationMs} ms${idle ? ' (idle)' : ''}`,
    );
  });
}

function pct(x) {
  const n = x * 100;
  return `${n >= 10 || Number.isInteger(n) ? Math.round(n) : n.toFixed(1)}%`;
}
