/**
 * The audit archive in the side panel: where the bot seals its audit log (a bucket with Object Lock),
 * how far the segments go, and the newest of them with the records each holds, its size and how long
 * S3 keeps it locked. Built from the panel's data (`archive` of /console/aws), refreshed with it.
 */
import { h } from './dom.js';

/** @param {any} a the archive as /console/aws gives it */
export function archiveSection(a) {
  const where = `s3://${a.bucket}/${a.prefix}`;
  return h(
    'section',
    { class: 'archive', id: 'archive', 'aria-label': 'Audit archive' },
    h(
      'h3',
      { class: 'archive-head' },
      h('span', { class: 'archive-title' }, 'Audit archive'),
      ' · ',
      h('span', { class: 'place-id' }, where),
    ),
    h(
      'p',
      { class: 'archive-summary small' },
      `${a.account} · ${a.accountId} · ${a.region}`,
      a.objectLock === 'Enabled' ? h('span', { class: 'state state-ok' }, 'Object Lock') : null,
      a.error ? null : summary(a),
    ),
    a.error
      ? h('p', { class: 'archive-error small' }, `S3 answers ${a.error} for ${a.bucket}.`)
      : a.newest.length === 0
        ? h(
            'p',
            { class: 'muted small' },
            'No segments yet: the bot seals its audit records into one within its interval, once there are some.',
          )
        : h('ol', { class: 'segment-list', 'aria-label': 'Newest segments' }, a.newest.map(segment)),
  );
}

function summary(a) {
  if (a.segments === 0) return null;
  const more = a.segments > a.newest.length ? ` (newest ${a.newest.length} below)` : '';
  return h(
    'span',
    { class: 'archive-count' },
    `${a.segments} segment${a.segments === 1 ? '' : 's'}, records 1–${a.through}${more}`,
  );
}

function segment(s) {
  const name = s.key.split('/').at(-1) ?? s.key;
  return h(
    'li',
    { class: 'segment', 'data-key': s.key },
    h('span', { class: 'segment-records' }, s.first === undefined ? '—' : `#${s.first}–${s.last}`),
    h('span', { class: 'segment-size' }, s.size === undefined ? '' : size(s.size)),
    h(
      'span',
      {
        class: `segment-lock${s.mode ? '' : ' unlocked'}`,
        title: s.retainUntil ? `Locked until ${s.retainUntil}` : 'No Object Lock retention',
      },
      s.mode ? `${s.mode} until ${s.retainUntil?.slice(0, 10)}` : 'not locked',
    ),
    h('code', { class: 'segment-key', title: s.key }, name),
  );
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
