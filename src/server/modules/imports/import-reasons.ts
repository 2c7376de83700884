// Why an import row was not merged, in words (English and German): the codes the CSV reader,
// the row validator (row-validator.ts) and the merge (import-merge.ts) write.
import type { ReasonCatalog } from '../../engine/reasons.ts';

export const IMPORT_REASONS = {
  invalid_email: { en: 'Not a valid email address', de: 'Keine gültige E-Mail-Adresse' },
  invalid_phone: { en: 'Not a valid phone number', de: 'Keine gültige Telefonnummer' },
  invalid_value: { en: 'A value does not fit its field', de: 'Ein Wert passt nicht zu seinem Feld' },
  invalid_consent: { en: 'Not a consent value', de: 'Kein gültiger Einwilligungswert' },
  invalid_tags: { en: 'Tags too long or too many', de: 'Tags zu lang oder zu viele' },
  missing_key: { en: 'No email or phone to match by', de: 'Keine E-Mail oder Telefonnummer zum Abgleich' },
  duplicate_in_file: {
    en: 'Same email or phone as an earlier row of the file',
    de: 'Gleiche E-Mail oder Telefonnummer wie eine frühere Zeile der Datei',
  },
  contact_exists: { en: 'Contact exists (create only)', de: 'Kontakt existiert (nur neue anlegen)' },
  contact_not_found: { en: 'No such contact (update only)', de: 'Kein solcher Kontakt (nur aktualisieren)' },
  email_taken: { en: 'Another contact has this email', de: 'Ein anderer Kontakt hat diese E-Mail-Adresse' },
  phone_taken: { en: 'Another contact has this phone', de: 'Ein anderer Kontakt hat diese Telefonnummer' },
  conflict: {
    en: 'Created by someone else meanwhile',
    de: 'Zwischenzeitlich von jemand anderem angelegt',
  },
  column_count: { en: 'More cells than the header has columns', de: 'Mehr Zellen als Spalten im Kopf' },
  too_many_columns: { en: 'Far too many cells in the row', de: 'Viel zu viele Zellen in der Zeile' },
  field_too_large: { en: 'A cell is too large', de: 'Eine Zelle ist zu groß' },
  unclosed_quote: {
    en: 'The file ends inside a quoted cell',
    de: 'Die Datei endet innerhalb einer Zelle in Anführungszeichen',
  },
  invalid_quote: { en: 'Broken quotes', de: 'Fehlerhafte Anführungszeichen' },
  encoding_mismatch: {
    en: 'Bytes not valid in the chosen encoding',
    de: 'Bytes passen nicht zur gewählten Kodierung',
  },
} as const satisfies ReasonCatalog;
