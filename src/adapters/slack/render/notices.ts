import type { types } from '@slack/bolt';
import type { Notice } from '../../../domain/notice.js';
import { section } from '../message.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { renderAlert, renderThread } from './alerts.js';
import { renderApprovalRequest } from './approval.js';
import { renderArchiveLag } from './archive.js';
import { renderBreakGlass, renderBreakGlassReminder } from './breakglass.js';
import { render } from './index.js';
import { renderOutside } from './outside.js';
import { renderRollout, renderRolloutQuestion } from './rollout.js';

export interface PostedMessage {
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/** How a notice looks in Slack. Exhaustive: a new notice must be rendered here. */
export function renderNotice(notice: Notice): PostedMessage {
  switch (notice.kind) {
    case 'outcome': {
      const { text, blocks } = render(notice.outcome);
      return { text, blocks };
    }
    case 'text':
      return { text: notice.text, blocks: [section(escapeMrkdwn(notice.text))] };
    case 'approval':
      return renderApprovalRequest(notice.request);
    case 'rollout':
      return renderRollout(notice);
    case 'rollout-question':
      return renderRolloutQuestion(notice.rollout, notice.question);
    // Alarm alerts (issue 6)
    case 'alarm-alert':
      return renderAlert(notice.alert);
    case 'outside-alert':
      return renderOutside(notice.alert);
    case 'alarm-thread':
      return renderThread(notice.alert, notice.notes);
    case 'breakglass':
      return renderBreakGlass(notice.record);
    case 'breakglass-reminder':
      return renderBreakGlassReminder(notice.record);
    case 'archive-lag':
      return renderArchiveLag(notice);
  }
}
