// Notifications store the parameters of their event, including the name a bulk action had then,
// in its creator's language. Every read (list, one, the live stream, the email at send time) goes
// through `withReaderActionNames`, so each reader sees the action's name as they read it today.
import type { Language } from '../../../shared/auth.ts';
import { isIdText } from '../../../shared/primitives.ts';
import type { Queryable } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { actionNameKey, actionNames, type ActionRef } from '../../engine/action-names.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';

/** The parameters that name a bulk action as `{ id, name }` (the catalogue's convention). */
const ACTION_PARAMS = ['action'] as const;

/** A reference's name is at most this long in the catalogue (`ref` in shared/notifications.ts). */
const NAME_MAX = 300;

/** The name cut to the catalogue's length, never in the middle of a surrogate pair. */
const fitted = (name: string): string =>
  name.length <= NAME_MAX ? name : name.slice(0, NAME_MAX).replace(/[\uD800-\uDBFF]$/, '');

interface Readable {
  accountId: string;
  params: Record<string, unknown>;
}

/** A parameter that references an action by a valid id, or null. */
function actionRefIn(value: unknown): { id: string; name: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'string' && typeof name === 'string' && isIdText(id) ? { id, name } : null;
}

/**
 * The notifications with each bulk action they name renamed to what the reader reads: the
 * action's generated name in `lang`, or the name a user typed. A deleted action keeps the stored
 * name. One read for all of them, each action looked up in its notification's own account; the
 * stored parameters are not changed (they are the history).
 */
export async function withReaderActionNames<N extends Readable>(
  q: Queryable,
  registry: BulkTypeRegistry,
  notifications: readonly N[],
  /** The reader's language, or how to read it (only read when an action is named). */
  lang: Language | (() => Promise<Language>),
): Promise<N[]> {
  const refs: ActionRef[] = [];
  for (const n of notifications) {
    for (const key of ACTION_PARAMS) {
      const ref = actionRefIn(n.params[key]);
      if (ref) refs.push({ accountId: asAccountId(Number(n.accountId)), id: Number(ref.id) });
    }
  }
  if (refs.length === 0) return [...notifications];
  const names = await actionNames(q, registry, refs, typeof lang === 'function' ? await lang() : lang);
  return notifications.map((n) => {
    let params = n.params;
    for (const key of ACTION_PARAMS) {
      const ref = actionRefIn(params[key]);
      const current = ref ? names.get(actionNameKey(Number(n.accountId), Number(ref.id))) : undefined;
      if (!ref || current === undefined) continue; // gone: the stored name stays
      const name = fitted(current);
      if (name !== ref.name) params = { ...params, [key]: { ...(params[key] as object), name } };
    }
    return params === n.params ? n : { ...n, params };
  });
}
