/**
 * Slack's `<!date^seconds^format|fallback>` shown in the reader's own time zone, with Slack's
 * format tokens: {date_num} {date} {date_short} {date_long}, their _pretty forms (today,
 * yesterday, tomorrow), {time} {time_secs} and {ago}. Pure, with `now` and a locale passed in.
 */

const DAY = 86_400_000;

/**
 * @param {number} seconds
 * @param {string} format
 * @param {{now?: number, locale?: string}} [options]
 * @returns {string}
 */
export function formatSlackDate(seconds, format, options = {}) {
  const at = new Date(seconds * 1000);
  const now = options.now ?? Date.now();
  const locale = options.locale;
  const fmt = (o) => at.toLocaleDateString(locale, o);
  const day = ordinal(at.getDate());
  const dates = {
    date_num: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    date: `${fmt({ month: 'long' })} ${day}, ${at.getFullYear()}`,
    date_short: fmt({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: `${fmt({ weekday: 'long' })}, ${fmt({ month: 'long' })} ${day}, ${at.getFullYear()}`,
  };
  const relative = relativeDay(at, now);
  const tokens = {
    ...dates,
    date_pretty: relative ?? dates.date,
    date_short_pretty: relative ?? dates.date_short,
    date_long_pretty: relative ?? dates.date_long,
    time: at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' }),
    time_secs: at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
    ago: ago(at.getTime(), now),
  };
  return format.replace(/\{(\w+)\}/g, (whole, name) => tokens[name] ?? whole);
}

function relativeDay(at, now) {
  const start = (t) => {
    const d = new Date(t);
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  };
  const days = Math.round((start(at.getTime()) - start(now)) / DAY);
  return { '-1': 'yesterday', 0: 'today', 1: 'tomorrow' }[days];
}

function ago(t, now) {
  const s = Math.round((now - t) / 1000);
  const future = s < 0;
  const n = Math.abs(s);
  const [value, unit] =
    n < 60
      ? [n, 'second']
      : n < 3600
        ? [Math.floor(n / 60), 'minute']
        : n < 86400
          ? [Math.floor(n / 3600), 'hour']
          : [Math.floor(n / 86400), 'day'];
  if (unit === 'second' && n < 10) return future ? 'in a few seconds' : 'just now';
  const words = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return future ? `in ${words}` : `${words} ago`;
}

function ordinal(n) {
  const suffix =
    n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}
