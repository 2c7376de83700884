import type { DistributableKind, ElementKind, TargetStatus } from '../../../shared/distribution.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';

/** The distribution calls of a source account (`/api/accounts/:accountId/distribution…`). */
export function distributionApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/distribution`;
}

/** `/api/accounts/:accountId/distributions` (the distributions themselves). */
export function distributionsApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/distributions`;
}

/** One distribution's calls. */
export function distributionApiPathOf(accountId: string, distributionId: string): string {
  return `${distributionsApiPath(accountId)}/${encodeURIComponent(distributionId)}`;
}

/** `/api/accounts/:accountId/distribution/elements/:kind/:elementId` (copies and rollback). */
export function elementApiPath(accountId: string, kind: DistributableKind, elementId: string): string {
  return `${distributionApiPath(accountId)}/elements/${kind}/${encodeURIComponent(elementId)}`;
}

/** The web page of an element's distribution. */
export function elementDistributionPath(
  accountId: string,
  kind: DistributableKind,
  elementId: string,
): string {
  return `/accounts/${accountId}/distribution/element/${kind}/${encodeURIComponent(elementId)}`;
}

/** The web page of one distribution. */
export function distributionPagePath(accountId: string, distributionId: string): string {
  return `/accounts/${accountId}/distribution/${encodeURIComponent(distributionId)}`;
}

/** The web page of an element in its own account (editor). */
export function elementPagePath(accountId: string, kind: DistributableKind, elementId: string): string {
  const id = encodeURIComponent(elementId);
  return kind === 'mailing'
    ? `/accounts/${accountId}/mailings/${id}`
    : `/accounts/${accountId}/templates/${id}`;
}

/** The distributable kind of a template of a channel. */
export function templateKind(channel: 'email' | 'sms'): DistributableKind {
  return channel === 'email' ? 'email_template' : 'sms_template';
}

/** True for the kinds the element distribution page exists for. */
export function isDistributableKind(kind: string | undefined): kind is DistributableKind {
  return kind === 'email_template' || kind === 'sms_template' || kind === 'mailing';
}

export const distributionKeys = {
  all: (accountId: string) => ['accounts', accountId, 'distribution'] as const,
  targets: (accountId: string) => [...distributionKeys.all(accountId), 'targets'] as const,
  plans: (accountId: string) => [...distributionKeys.all(accountId), 'plan'] as const,
  plan: (accountId: string, body: unknown) => [...distributionKeys.plans(accountId), body] as const,
  history: (accountId: string, element: { kind: DistributableKind; id: string } | null) =>
    [...distributionKeys.all(accountId), 'history', element] as const,
  detail: (accountId: string, distributionId: string) =>
    [...distributionKeys.all(accountId), 'detail', distributionId] as const,
  results: (accountId: string, distributionId: string, status: TargetStatus | null) =>
    [...distributionKeys.detail(accountId, distributionId), 'targets', status] as const,
  copies: (accountId: string, kind: DistributableKind, elementId: string) =>
    [...distributionKeys.all(accountId), 'copies', kind, elementId] as const,
  substitutes: (accountId: string) => ['accounts', accountId, 'substitutes'] as const,
  candidates: (accountId: string, targetAccountId: string, kind: ElementKind, search: string) =>
    [...distributionKeys.substitutes(accountId), 'candidates', targetAccountId, kind, search] as const,
  acceptedKinds: (accountId: string) => ['accounts', accountId, 'accepted-kinds'] as const,
};
