// Other features name actions in what they keep (a notification's `params.action`); what a reader
// is shown must be the action's name as that reader reads it, not the text stored back then.
import type { Language } from '../../shared/auth.ts';
import type { Queryable } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import { findNameSources } from './actions.repo.ts';
import { renderName } from './names.ts';
import type { BulkTypeRegistry } from './registry.ts';

/** An action as others refer to it: its account and id. */
export interface ActionRef {
  accountId: AccountId;
  id: number;
}

/** The key of an action in the map `actionNames` returns. */
export const actionNameKey = (accountId: number, id: number): string => `${accountId}:${id}`;

/**
 * The current names of the referenced actions for a reader in `lang`, read in one statement: a
 * generated name rendered in `lang`, a typed or renamed one as typed. Actions that no longer exist
 * (or are not in the account the reference names) are missing from the map: callers keep the
 * name they stored.
 */
export async function actionNames(
  q: Queryable,
  registry: BulkTypeRegistry,
  refs: readonly ActionRef[],
  lang: Language,
): Promise<Map<string, string>> {
  const unique = new Map(refs.map((r) => [actionNameKey(r.accountId, r.id), r]));
  const found = await findNameSources(q, [...unique.values()]);
  return new Map(found.map((row) => [actionNameKey(row.accountId, row.id), renderName(registry, row, lang)]));
}
