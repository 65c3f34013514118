/**
 * What a command has to tell the user, independent of Slack. Commands and services return
 * these; `adapters/slack/render` turns them into Block Kit.
 */

export interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
}

export type Outcome =
  | { readonly kind: 'help'; readonly commands: readonly CommandHelp[] }
  | { readonly kind: 'not-available'; readonly verb: string; readonly feature: string };
