import type { BulkAction, BulkControl } from '../../../shared/bulk-actions.ts';

/** What a row-menu entry opens: a control's confirmation, or the rename dialog. */
export interface BulkDialogTarget {
  kind: BulkControl | 'rename';
  action: BulkAction;
}

/** Renaming is for the action's creator and for holders of contacts.bulk (the server decides too). */
export function mayRename(action: BulkAction, userId: string, rights: readonly string[]): boolean {
  return action.createdBy?.id === userId || rights.includes('contacts.bulk');
}
