/**
 * Slack mrkdwn helpers. Anything that came from a user or from AWS goes through `escapeMrkdwn`, so
 * that a function description cannot ping @channel or forge a link.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in its content (Slack has no escape for them). */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, 'ˋ')}\``;
}

/** Section text is limited to 3,000 characters; longer text is cut with a visible mark. */
export function clamp(text: string, max = 3000): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)} …`;
}
