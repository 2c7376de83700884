import { useState } from 'react';
import type { ContactSort, CustomField } from '../../../shared/contacts.ts';

export const STANDARD_COLUMNS = [
  'name',
  'email',
  'phone',
  'emailConsent',
  'smsConsent',
  'tags',
  'lists',
  'createdAt',
  'updatedAt',
] as const;
export type StandardColumn = (typeof STANDARD_COLUMNS)[number];
/** A standard column, or `custom.<key>` for a custom field. */
export type ColumnId = StandardColumn | `custom.${string}`;

export const DEFAULT_COLUMNS: readonly ColumnId[] = [
  'name',
  'email',
  'phone',
  'emailConsent',
  'tags',
  'createdAt',
];

/** The sort of each sortable column (the API sorts by these only). */
export const SORT_OF_COLUMN: Partial<Record<ColumnId, ContactSort>> = {
  name: 'last_name',
  email: 'email',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function isStandardColumn(id: string): id is StandardColumn {
  return (STANDARD_COLUMNS as readonly string[]).includes(id);
}

/** Every column that can be shown, in display order: the standard ones, then the custom fields. */
export function allColumns(customFields: readonly CustomField[]): ColumnId[] {
  return [...STANDARD_COLUMNS, ...customFields.map((f) => `custom.${f.key}` as const)];
}

const storageKey = (accountId: string) => `herald.contacts.columns.${accountId}`;

function readChoice(accountId: string): ColumnId[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey(accountId)) ?? 'null');
    if (Array.isArray(stored)) {
      return stored.filter(
        (id): id is ColumnId => typeof id === 'string' && (isStandardColumn(id) || id.startsWith('custom.')),
      );
    }
  } catch {
    // storage off or garbled: the defaults
  }
  return [...DEFAULT_COLUMNS];
}

/**
 * The columns the user chose for an account's contacts table, kept in localStorage per account
 * (accounts have different custom fields). Custom columns of deleted fields are dropped on display.
 */
export function useColumnChoice(accountId: string): [ColumnId[], (columns: ColumnId[]) => void] {
  const [held, setHeld] = useState(() => ({ accountId, columns: readChoice(accountId) }));
  let columns = held.columns;
  if (held.accountId !== accountId) {
    columns = readChoice(accountId);
    setHeld({ accountId, columns });
  }
  const choose = (next: ColumnId[]) => {
    setHeld({ accountId, columns: next });
    try {
      localStorage.setItem(storageKey(accountId), JSON.stringify(next));
    } catch {
      // only a convenience
    }
  };
  return [columns, choose];
}
