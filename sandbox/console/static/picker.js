/**
 * One alias in one place, picked with four selects (account and region, function, alias, version)
 * that are refilled from every snapshot of the panel, keeping what the person chose while it still
 * exists. Each form of the panel has its own: `<prefix>-place`, `<prefix>-function`, … in the page.
 */
import { h } from './dom.js';

/** Versions an alias sends traffic to, the primary first. */
export function servingVersions(alias) {
  return [alias.version, ...Object.keys(alias.additional ?? {})];
}

/** A place's value in a form: the account ID and region, as the console's API takes them. */
export function placeId(p) {
  return `${p.accountId}/${p.region}`;
}

/** `prod · 222222222222 · eu-west-1`: the account as the policy names it, its ID, the region. */
export function placeName(p) {
  return `${p.account} · ${p.accountId} · ${p.region}`;
}

export class AliasPicker {
  /**
   * @param {string} prefix the ids' prefix in the page
   * @param {{ places?: (all: object[]) => object[], version: (f: object, alias: object | undefined) => string }} rules
   *   which places may be picked, and the version picked until someone picks one
   */
  constructor(prefix, rules) {
    const el = (id) => /** @type {HTMLSelectElement} */ (document.getElementById(`${prefix}-${id}`));
    this.place = el('place');
    this.fn = el('function');
    this.alias = el('alias');
    this.version = el('version');
    this.rules = rules;
    this.places = [];
    /** Until someone picks a version, the picker follows its rule (the version served, say). */
    this.picked = false;
    this.place.addEventListener('change', () => this.fillFunctions(true));
    this.fn.addEventListener('change', () => this.choose(true));
    this.alias.addEventListener('change', () => this.choose(false));
    this.version.addEventListener('change', () => {
      this.picked = true;
    });
  }

  /** Takes a new snapshot's places; the first place (where the tour starts) until someone picks another. */
  update(places) {
    this.places = this.rules.places ? this.rules.places(places) : places;
    const ids = this.places.map(placeId);
    if ([...this.place.options].map((o) => o.value).join() !== ids.join()) {
      const keep = this.place.value;
      this.place.replaceChildren(...this.places.map((p) => h('option', { value: placeId(p) }, placeName(p))));
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
    const alias = this.currentAlias();
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
    this.version.value =
      this.picked && f.versions.some((v) => v.version === keep) ? keep : this.rules.version(f, alias);
  }

  currentPlace() {
    return this.places.find((p) => placeId(p) === this.place.value);
  }

  current() {
    return this.currentPlace()?.functions.find((f) => f.name === this.fn.value);
  }

  currentAlias() {
    return this.current()?.aliases.find((a) => a.name === this.alias.value);
  }

  /** What is picked, named as the bot names places: `payments-api:prod (prod/eu-west-1)`. */
  describe() {
    const place = this.currentPlace();
    return `${this.fn.value}:${this.alias.value}${place ? ` (${place.account}/${place.region})` : ''}`;
  }
}
