import type { ParseResult } from '../../../../commands/index.js';
import type { Outcome } from '../../../domain/outcome.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { renderAlarms } from './alarms.js';
import { renderAliasChanged, renderPublished } from './alias-change.js';
import { renderAuditVerified, renderDiff, renderHistory, renderStatus, renderVersions } from './reads.js';

const COMMAND = '/lambda';

/** Turns what a command has to say into a Slack message. Exhaustive: a new outcome must be rendered here. */
export function render(outcome: Outcome): SlackMessage {
  switch (outcome.kind) {
    case 'help':
      return ephemeral(`${COMMAND} commands`, [
        section(
          clamp(outcome.commands.map((c) => `${code(`${COMMAND} ${c.usage}`)}  ${escapeMrkdwn(c.summary)}`).join('\n')),
        ),
        context('`FN` is a function name or ARN · `FN:ALIAS` names an alias · `V` is a published version number'),
      ]);
    case 'not-available':
      return ephemeral(`${COMMAND} ${outcome.verb} is not available yet. Nothing was changed.`, [
        section(
          `:construction: ${code(`${COMMAND} ${outcome.verb}`)} is not available yet: it comes with ${escapeMrkdwn(outcome.feature)}.`,
        ),
        context('Nothing was changed.'),
      ]);
    case 'alias-changed':
      return renderAliasChanged(outcome);
    case 'published':
      return renderPublished(outcome);
    case 'status':
      return renderStatus(outcome);
    case 'versions':
      return renderVersions(outcome);
    case 'diff':
      return renderDiff(outcome);
    case 'history':
      return renderHistory(outcome);
    case 'audit-verified':
      return renderAuditVerified(outcome);
    case 'alarms':
      return renderAlarms(outcome);
  }
}

/** A command that could not be parsed: what is wrong, the likely fix, the usage. Always ephemeral. */
export function renderUsageProblem(result: Extract<ParseResult, { ok: false }>): SlackMessage {
  const lines = [`:warning: ${escapeMrkdwn(result.problem)}`];
  if (result.suggestion !== undefined) lines.push(`Did you mean ${code(`${COMMAND} ${result.suggestion}`)}?`);
  lines.push(
    result.usage === undefined ? `Try ${code(`${COMMAND} help`)}.` : `Usage: ${code(`${COMMAND} ${result.usage}`)}`,
  );
  return ephemeral(`${result.problem}. Nothing was changed.`, [
    section(clamp(lines.join('\n'))),
    context('Nothing was changed.'),
  ]);
}
