/** What a person types is plain text: Slack's client escapes it before it travels as mrkdwn. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
