// Generated names are not stored as text: an action keeps what its name says (`name_spec`), and
// every reader gets it in their own language. Names users typed (or changed) are kept as typed.
import type { Language } from '../../shared/auth.ts';
import type { DerivingControl } from '../../shared/bulk-actions.ts';
import type { BulkTypeRegistry } from './registry.ts';

/**
 * What a generated name says besides the action's type and params: how many items it covers, and
 * the creator's language (for the stored text: searches, and the fallback of notifications).
 */
export interface NameSpec {
  count: number;
  lang: Language;
}

/**
 * Where an action's items come from, stored with it so that a freeze interrupted by a crash can go
 * on: the JSON its feature gave at creation (a selection, an uploaded file, …), or the action a
 * restore, retry or undo derives from.
 */
export type ItemsSource =
  | { kind: 'feature'; source: unknown }
  | { kind: 'derived'; control: DerivingControl; sourceActionId: number };

export const retryName = (name: string, lang: Language) =>
  lang === 'de' ? `Wiederholung: ${name}` : `Retry: ${name}`;
export const undoName = (name: string, lang: Language) =>
  lang === 'de' ? `Rückgängig: ${name}` : `Undo: ${name}`;

/**
 * The name of an action for a reader in `lang`: a typed name as it is; a generated one rendered by
 * its type for the count it covers, prefixed "Retry:" or "Undo:" when it derives from another.
 * A row whose type is no longer registered keeps its stored text.
 */
export function renderName(
  registry: BulkTypeRegistry,
  row: {
    type: string;
    name: string;
    nameSpec: NameSpec | null;
    params: Record<string, unknown>;
    derivedAs: DerivingControl | null;
  },
  lang: Language,
): string {
  const spec = registry.find(row.type);
  if (!row.nameSpec || !spec) return row.name;
  const parsed = spec.params.safeParse(row.params);
  if (!parsed.success) return row.name;
  const name = spec.name(lang, row.nameSpec.count, parsed.data);
  if (row.derivedAs === 'retry_failed') return retryName(name, lang);
  if (row.derivedAs === 'undo') return undoName(name, lang);
  return name;
}
