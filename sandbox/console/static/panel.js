/**
 * The side panel: what the emulator's AWS looks like now, one account and region at a time
 * (aliases and their routing, alarm states, versions made to misbehave), refreshed every two
 * seconds, and "Make it fail", which sets one version's error rate and duration on one alias in
 * one place through the emulator's traffic API.
 */
import { api } from './api.js';
import { h } from './dom.js';

const REFRESH_MS = 2000;
const HEALTHY = 0.002;

export class AwsPanel {
  constructor() {
    this.box = document.getElementById('aws-state');
    this.form = document.getElementById('fail-form');
    this.place = /** @type {HTMLSelectElement} */ (document.getElementById('fail-place'));
    this.fn = /** @type {HTMLSelectElement} */ (document.getElementById('fail-function'));
    this.alias = /** @type {HTMLSelectElement} */ (document.getElementById('fail-alias'));
    this.version = /** @type {HTMLSelectElement} */ (document.getElementById('fail-version'));
    this.errors = /** @type {HTMLInputElement} */ (document.getElementById('fail-errors'));
    this.latency = /** @type {HTMLInputElement} */ (document.getElementById('fail-latency'));
    this.status = document.getElementById('fail-status');
    this.data = { places: [] };
    /** Until someone picks a version, the form follows the version the alias serves. */
    this.picked = false;
    this.place.addEventListener('change', () => this.fillFunctions(true));
    this.fn.addEventListener('change', () => this.choose(true));
    this.alias.addEventListener('change', () => this.choose(false));
    this.version.addEventListener('change', () => {
      this.picked = true;
    });
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
    this.data = data;
    this.box.replaceChildren(...data.places.map((p) => group(p)));
    this.fillPlaces();
  }

  /** The places, in the panel's order; the first (where the tour starts) until someone picks another. */
  fillPlaces() {
    const ids = this.data.places.map(placeId);
    if ([...this.place.options].map((o) => o.value).join() !== ids.join()) {
      const keep = this.place.value;
      this.place.replaceChildren(...this.data.places.map((p) => h('option', { value: placeId(p) }, placeName(p))));
      this.place.value = ids.includes(keep) ? keep : (ids[0] ?? '');
      this.fillFunctions(true);
    } else {
      this.fillFunctions(false);
    }
  }

  /** Refills the function list after a change of place (or of data). */
  fillFunctions(newPlace) {
    const names = (this.currentPlace()?.functions ?? []).map((f) => f.name);
    if (newPlace || [...this.fn.options].map((o) => o.value).join() !== names.join()) {
      const keep = this.fn.value;
      this.fn.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
      this.fn.value = names.includes(keep) ? keep : (names.find((n) => n === 'payments-api') ?? names[0] ?? '');
      this.choose(true);
    } else {
      this.choose(false, true);
    }
  }

  /** Refills alias and version lists after a change of function (or of data). */
  choose(newFunction, refreshOnly = false) {
    const f = this.current();
    if (!f) return;
    if (newFunction) {
      const keep = this.alias.value;
      this.alias.replaceChildren(...f.aliases.map((a) => h('option', { value: a.name }, a.name)));
      this.alias.value = f.aliases.some((a) => a.name === keep)
        ? keep
        : (f.aliases.find((a) => a.name === 'prod')?.name ?? f.aliases[0]?.name ?? '');
    }
    if (!refreshOnly) this.picked = false;
    const alias = f.aliases.find((a) => a.name === this.alias.value);
    const serving = alias ? servingVersions(alias) : [];
    const keep = this.version.value;
    this.version.replaceChildren(
      ...[...f.versions]
        .reverse()
        .map((v) =>
          h(
            'option',
            { value: v.version },
            `v${v.version}${serving.includes(v.version) ? ' (serving)' : ''} — ${v.description}`,
          ),
        ),
    );
    const newest = serving.at(-1) ?? f.versions.at(-1)?.version ?? '';
    this.version.value = this.picked && f.versions.some((v) => v.version === keep) ? keep : newest;
  }

  currentPlace() {
    return this.data.places.find((p) => placeId(p) === this.place.value);
  }

  current() {
    return this.currentPlace()?.functions.find((f) => f.name === this.fn.value);
  }

  healthyDuration() {
    const alias = this.current()?.aliases.find((a) => a.name === this.alias.value);
    return alias?.traffic?.default?.durationMs ?? 100;
  }

  showRate() {
    document.getElementById('fail-errors-out').textContent = `${this.errors.value}%`;
  }

  async apply(errorRate, durationMs) {
    const place = this.currentPlace();
    const target = { function: this.fn.value, alias: this.alias.value, version: this.version.value };
    if (!place || !target.function || !target.alias || !target.version) return;
    const answer = await api.traffic({
      account: place.accountId,
      region: place.region,
      ...target,
      errorRate,
      durationMs,
    });
    // Named as the bot names places: `payments-api:prod (prod/eu-west-1)`.
    const where = `${target.function}:${target.alias} (${place.account}/${place.region}) v${target.version}`;
    this.status.classList.toggle('problem', !answer.ok);
    this.status.textContent = answer.ok
      ? errorRate === HEALTHY
        ? `${where} is healthy again.`
        : `${where} now fails ${Math.round(errorRate * 100)}% of calls at ~${durationMs} ms. Watch #alerts: an alarm needs one 10 s period, the bot polls every 5 s.`
      : `Not changed: ${answer.error}`;
    await this.refresh();
  }
}

/** A place's value in the form: the account ID and region, as the traffic API takes them. */
function placeId(p) {
  return `${p.accountId}/${p.region}`;
}

/** `prod · 222222222222 · eu-west-1`: the account as the policy names it, its ID, the region. */
function placeName(p) {
  return `${p.account} · ${p.accountId} · ${p.region}`;
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

/** Versions an alias sends traffic to, the primary first. */
function servingVersions(alias) {
  return [alias.version, ...Object.keys(alias.additional ?? {})];
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
