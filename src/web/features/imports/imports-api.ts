import { accountApiPath } from '../contacts/contacts-api.ts';
import { apiLanguage } from '../bulk-actions/bulk-api.ts';

/** The base of every import call of one account. */
export function importsApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/imports`;
}

export function uploadPath(accountId: string, uploadId: string): string {
  return `${importsApiPath(accountId)}/uploads/${encodeURIComponent(uploadId)}`;
}

export function mappingPath(accountId: string, mappingId: string): string {
  return `${importsApiPath(accountId)}/mappings/${encodeURIComponent(mappingId)}`;
}

export function sourcePath(accountId: string, sourceId: string): string {
  return `${importsApiPath(accountId)}/sources/${encodeURIComponent(sourceId)}`;
}

export function pgpKeyPath(accountId: string): string {
  return `${importsApiPath(accountId)}/pgp-key`;
}

/** The rows of an import that failed, in the file's own columns (a plain link: the browser downloads it). */
export function failedRowsCsvPath(accountId: string, actionId: string): string {
  return `${importsApiPath(accountId)}/${encodeURIComponent(actionId)}/failed-rows.csv`;
}

export { apiLanguage };

/** The source a notification links to (`/imports/ftp/:sourceId`), or null. */
export function linkedSourceId(splat: string | undefined): string | null {
  return /^ftp\/(\d{1,15})\/?$/.exec(splat ?? '')?.[1] ?? null;
}

/** Query keys: everything about imports sits under `imports`. */
export const importKeys = {
  all: (accountId: string) => ['accounts', accountId, 'imports'] as const,
  summary: (accountId: string, actionId: string) =>
    [...importKeys.all(accountId), 'summary', actionId] as const,
  mappings: (accountId: string) => [...importKeys.all(accountId), 'mappings'] as const,
  sources: (accountId: string) => [...importKeys.all(accountId), 'sources'] as const,
  runs: (accountId: string, sourceId: string) => [...importKeys.all(accountId), 'runs', sourceId] as const,
  pgpKey: (accountId: string) => [...importKeys.all(accountId), 'pgp-key'] as const,
};
