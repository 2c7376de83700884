import { derivedType, type BulkType, type DerivingControl } from '../../../shared/bulk-actions.ts';
import type { Language } from '../../../shared/auth.ts';
import { retryName, undoName } from '../../engine/names.ts';

/**
 * What a generated name may mention. Every part is optional: an action made from an older row, a
 * tag renamed to nothing or a restore of an unnamed source must still get a readable name, so a
 * missing part is left out of the sentence, never printed as "undefined" or "null".
 */
export interface NameDetail {
  tagName?: string | null | undefined;
  sourceName?: string | null | undefined;
}

const count = (n: number, lang: Language) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-US');

/** ` 'VIP'` (en) or ` „VIP“` (de) with a leading space, or '' when there is nothing to quote. */
function quoted(value: string | null | undefined, de: boolean): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return '';
  return de ? ` „${v}“` : ` '${v}'`;
}

/** ` ('Spring clean-up')` / ` („Frühjahrsputz“)`, or '' without a source name. */
function source(value: string | null | undefined, de: boolean): string {
  const q = quoted(value, de).trim();
  return q ? ` (${q})` : '';
}

/** The generated name of an action in `lang` ("Add tag 'VIP' to 12,480 contacts"). */
export function actionName(type: BulkType, n: number, lang: Language, detail: NameDetail = {}): string {
  const de = lang === 'de';
  const one = n === 1;
  const num = count(n, lang);
  const tag = quoted(detail.tagName, de);
  const contactsEn = one ? '1 contact' : `${num} contacts`;
  switch (type) {
    case 'add_tag':
      return de
        ? `Tag${tag} zu ${one ? '1 Kontakt' : `${num} Kontakten`} hinzufügen`
        : `Add tag${tag} to ${contactsEn}`;
    case 'remove_tag':
      return de
        ? `Tag${tag} von ${one ? '1 Kontakt' : `${num} Kontakten`} entfernen`
        : `Remove tag${tag} from ${contactsEn}`;
    case 'delete_contacts':
      return de ? `${one ? '1 Kontakt' : `${num} Kontakte`} löschen` : `Delete ${contactsEn}`;
    case 'restore_contacts':
      return de
        ? `${one ? '1 Kontakt' : `${num} Kontakte`} wiederherstellen${source(detail.sourceName, de)}`
        : `Restore ${contactsEn}${source(detail.sourceName, de)}`;
    case 'import':
      return de ? `${one ? '1 Kontakt' : `${num} Kontakte`} importieren` : `Import ${contactsEn}`;
    case 'bulk_email':
      return de ? `E-Mail an ${one ? '1 Kontakt' : `${num} Kontakte`}` : `Email to ${contactsEn}`;
    case 'bulk_sms':
      return de ? `SMS an ${one ? '1 Kontakt' : `${num} Kontakte`}` : `SMS to ${contactsEn}`;
  }
}

/**
 * The generated name of an action derived from one of `sourceType` by `control`: the name of the
 * change it makes (a restore names its source; a retry of a restore keeps the restore's source),
 * prefixed "Retry:" or "Undo:".
 */
export function derivedName(
  control: DerivingControl,
  sourceType: BulkType,
  n: number,
  lang: Language,
  detail: NameDetail,
): string {
  const name = actionName(derivedType(control, sourceType), n, lang, detail);
  switch (control) {
    case 'restore':
      return name;
    case 'retry_failed':
      return retryName(name, lang);
    case 'undo':
      return undoName(name, lang);
  }
}
