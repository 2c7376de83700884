// The two notifications of a distribution: one result per target account (in that account's
// transaction with the result) and one summary in the source account when the run completes.
import type { NotificationEvent } from '../../../shared/notifications.ts';
import { DISTRIBUTION_REASON } from '../../../shared/notification-texts.ts';
import {
  notificationKindOf,
  type DistributableKind,
  type DistributionOperation,
  type DistributionReason,
  type TargetDetail,
  type TargetStatus,
} from '../../../shared/distribution.ts';

/** English fallback of a reason code (the UI and emails translate the code itself). */
export const REASON_TEXT: Record<DistributionReason, string> = DISTRIBUTION_REASON.en;

/** The parts a reason names, as the notification carries them (at most 20). */
const missingOf = (detail: TargetDetail | null) =>
  detail?.missing?.length
    ? detail.missing.slice(0, 20).map((m) => ({ kind: m.kind, name: m.name.slice(0, 300) || '?' }))
    : detail?.reference
      ? [{ kind: detail.reference.kind, name: detail.reference.name.slice(0, 300) || '?' }]
      : undefined;

export interface NoticeElement {
  kind: DistributableKind;
  id: string;
  name: string;
}

const refName = (name: string) => name.slice(0, 300) || '?';

/** `distribution.target_result` for one target; subject: the copy, else the target's element list. */
export function targetResultEvent(p: {
  element: NoticeElement;
  operation: DistributionOperation;
  source: { id: number; name: string };
  at: Date;
  status: Exclude<TargetStatus, 'pending'>;
  reason: DistributionReason | null;
  detail: TargetDetail | null;
  copyId: string | null;
}): NotificationEvent {
  const kind = notificationKindOf(p.element.kind);
  const missing = missingOf(p.detail);
  return {
    type: 'distribution.target_result',
    params: {
      element: { id: p.copyId ?? p.element.id, name: refName(p.element.name), kind },
      operation: p.operation,
      sourceAccount: { id: String(p.source.id), name: refName(p.source.name) },
      at: p.at.toISOString(),
      outcome: p.status,
      reason: p.reason ? REASON_TEXT[p.reason] : null,
      ...(p.reason ? { code: p.reason } : {}),
      ...(missing ? { missing } : {}),
    },
    subject: p.copyId ? { kind, id: p.copyId } : { kind: 'element_list', id: kind },
  };
}

/** `distribution.source_summary`: counts and the first failures and skips. */
export function sourceSummaryEvent(p: {
  distributionId: number;
  element: NoticeElement;
  operation: DistributionOperation;
  at: Date;
  succeeded: number;
  failed: number;
  skipped: number;
  failures: {
    accountId: number;
    accountName: string;
    reason: DistributionReason | null;
    detail: TargetDetail | null;
  }[];
}): NotificationEvent {
  return {
    type: 'distribution.source_summary',
    params: {
      element: { id: p.element.id, name: refName(p.element.name), kind: notificationKindOf(p.element.kind) },
      operation: p.operation,
      at: p.at.toISOString(),
      succeeded: p.succeeded,
      failed: p.failed,
      ...(p.skipped ? { skipped: p.skipped } : {}),
      failures: p.failures.map((f) => {
        const missing = missingOf(f.detail);
        return {
          account: { id: String(f.accountId), name: refName(f.accountName) },
          reason: f.reason ? REASON_TEXT[f.reason] : 'unknown reason',
          ...(f.reason ? { code: f.reason } : {}),
          ...(missing ? { missing } : {}),
        };
      }),
    },
    subject: { kind: 'distribution', id: String(p.distributionId) },
  };
}
