import type { Language } from '../../../shared/auth.ts';
import type { BulkStatus, CreateBulkActionBody } from '../../../shared/bulk-actions.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';

/** The base of every bulk-action call of one account. */
export function bulkApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/bulk-actions`;
}

export function bulkActionPath(accountId: string, actionId: string): string {
  return `${bulkApiPath(accountId)}/${encodeURIComponent(actionId)}`;
}

/** The API's language for the UI's (`de-AT` reads German; anything else English). */
export function apiLanguage(language: string): Language {
  return language.startsWith('de') ? 'de' : 'en';
}

/** The error log of an action as CSV (a plain link: the browser downloads it with the session cookie). */
export function errorsCsvPath(accountId: string, actionId: string, language: string): string {
  return `${bulkActionPath(accountId, actionId)}/errors.csv?lang=${apiLanguage(language)}`;
}

/** What the table lists, in the shape of the list call's query (dates already as ISO instants). */
export interface BulkListParams {
  status: readonly string[];
  type: readonly string[];
  createdBy: string | null;
  from: string | null;
  to: string | null;
}

/**
 * Query keys. Everything about bulk actions sits under `bulk-actions`; a change to one action
 * (a control, a live event) refreshes the lists without touching the rest of the account.
 */
export const bulkKeys = {
  all: (accountId: string) => ['accounts', accountId, 'bulk-actions'] as const,
  lists: (accountId: string) => [...bulkKeys.all(accountId), 'list'] as const,
  list: (accountId: string, params: BulkListParams) => [...bulkKeys.lists(accountId), params] as const,
  detail: (accountId: string, actionId: string) => [...bulkKeys.all(accountId), 'detail', actionId] as const,
  stats: (accountId: string, actionId: string) => [...bulkKeys.all(accountId), 'stats', actionId] as const,
  audit: (accountId: string, actionId: string) => [...bulkKeys.all(accountId), 'audit', actionId] as const,
  restorePreview: (accountId: string, actionId: string) =>
    [...bulkKeys.all(accountId), 'restore-preview', actionId] as const,
  preview: (accountId: string, body: CreateBulkActionBody) =>
    [...bulkKeys.all(accountId), 'preview', body] as const,
};

const UNFINISHED: ReadonlySet<BulkStatus> = new Set(['preparing', 'queued', 'in_progress', 'paused']);

/**
 * Still to run or running: preparing (its selection is being frozen), queued, in progress or
 * paused. Views follow such actions live (or poll them) until they end.
 */
export function isUnfinished(status: BulkStatus): boolean {
  return UNFINISHED.has(status);
}
