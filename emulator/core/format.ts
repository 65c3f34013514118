/**
 * The text formats AWS services write: Java-style timestamps and numbers. The bot parses these strings, so the
 * emulator must produce them byte for byte.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * AWS's `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form (Lambda LastModified, CloudWatch reason data).
 *
 * @example isoWithOffset(Date.UTC(2026, 10, 26, 14, 33)) // '2026-11-26T14:33:00.000+0000'
 */
export function isoWithOffset(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}+0000`;
}

/**
 * The `dd/MM/yy HH:mm:ss` form CloudWatch uses for datapoints inside a StateReason.
 *
 * @example reasonDate(Date.UTC(2026, 10, 26, 14, 33)) // '26/11/26 14:33:00'
 */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The long form composite alarms use in their StateReason.
 *
 * @example longDate(Date.UTC(2022, 6, 22, 15, 57, 45)) // 'Friday 22 July, 2022 15:57:45 UTC'
 */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/**
 * Formats a number as Java's `Double.toString` does, since AWS's messages are built by Java services:
 * `25` → `25.0`, `0.0001` → `1.0E-4`, `12345678` → `1.2345678E7`.
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}
