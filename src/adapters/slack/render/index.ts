import type { ParseResult } from '../../../../commands/index.js';
import type { Outcome } from '../../../domain/outcome.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { renderAlarms } from './alarms.js';
import { renderAliasChanged, renderFreezeChanged, renderPublished } from './alias-change.js';
import { renderApprovalRequested } from './approval.js';
import { renderAuditVerified, renderDiff, renderHistory, renderStatus, renderVersions } from './reads.js';
import { renderRolloutStarted } from './rollout.js';

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
    case 'approval-requested':
      return renderApprovalRequested(outcome);
    case 'freeze-changed':
      return renderFreezeChanged(outcome);
    case 'rollout-started':
      return renderRolloutStarted(outcome);
    case 'note':
      return ephemeral(outcome.text, [section(escapeMrkdwn(outcome.text))]);
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
