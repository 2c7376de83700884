import type { BulkType } from '../../../shared/bulk-actions.ts';
import type { Language } from '../../../shared/auth.ts';

const count = (n: number, lang: Language) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-US');

/** The generated name of an action, in its creator's language ("Add tag 'VIP' to 12,480 contacts"). */
export function actionName(
  type: BulkType,
  n: number,
  lang: Language,
  detail: { tagName?: string; sourceName?: string } = {},
): string {
  const de = lang === 'de';
  if (n === 1) return singular(type, de, detail);
  switch (type) {
    case 'add_tag':
      return de
        ? `Tag „${detail.tagName}“ zu ${count(n, lang)} Kontakten hinzufügen`
        : `Add tag '${detail.tagName}' to ${count(n, lang)} contacts`;
    case 'remove_tag':
      return de
        ? `Tag „${detail.tagName}“ von ${count(n, lang)} Kontakten entfernen`
        : `Remove tag '${detail.tagName}' from ${count(n, lang)} contacts`;
    case 'delete_contacts':
      return de ? `${count(n, lang)} Kontakte löschen` : `Delete ${count(n, lang)} contacts`;
    case 'restore_contacts':
      return de
        ? `${count(n, lang)} Kontakte wiederherstellen („${detail.sourceName}“)`
        : `Restore ${count(n, lang)} contacts ('${detail.sourceName}')`;
    case 'import':
      return de ? `${count(n, lang)} Kontakte importieren` : `Import ${count(n, lang)} contacts`;
    case 'bulk_email':
      return de ? `E-Mail an ${count(n, lang)} Kontakte` : `Email to ${count(n, lang)} contacts`;
    case 'bulk_sms':
      return de ? `SMS an ${count(n, lang)} Kontakte` : `SMS to ${count(n, lang)} contacts`;
  }
}

export const retryName = (name: string, lang: Language) =>
  lang === 'de' ? `Wiederholung: ${name}` : `Retry: ${name}`;
export const undoName = (name: string, lang: Language) =>
  lang === 'de' ? `Rückgängig: ${name}` : `Undo: ${name}`;

function singular(type: BulkType, de: boolean, detail: { tagName?: string; sourceName?: string }): string {
  switch (type) {
    case 'add_tag':
      return de
        ? `Tag „${detail.tagName}“ zu 1 Kontakt hinzufügen`
        : `Add tag '${detail.tagName}' to 1 contact`;
    case 'remove_tag':
      return de
        ? `Tag „${detail.tagName}“ von 1 Kontakt entfernen`
        : `Remove tag '${detail.tagName}' from 1 contact`;
    case 'delete_contacts':
      return de ? '1 Kontakt löschen' : 'Delete 1 contact';
    case 'restore_contacts':
      return de
        ? `1 Kontakt wiederherstellen („${detail.sourceName}“)`
        : `Restore 1 contact ('${detail.sourceName}')`;
    case 'import':
      return de ? '1 Kontakt importieren' : 'Import 1 contact';
    case 'bulk_email':
      return de ? 'E-Mail an 1 Kontakt' : 'Email to 1 contact';
    case 'bulk_sms':
      return de ? 'SMS an 1 Kontakt' : 'SMS to 1 contact';
  }
}
