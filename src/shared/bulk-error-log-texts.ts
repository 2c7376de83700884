import type { Language } from './auth.ts';
import type { ItemReason } from './bulk-actions.ts';

/**
 * The error log CSV's words in the reader's language: column headers, outcomes and reason labels
 * (the same wording as the stats page's reasons table in the web locales). The stable reason code
 * stays in its own column so that spreadsheets can still filter by it.
 */
export interface ErrorLogTexts {
  headers: readonly [string, string, string, string, string];
  outcomes: Record<'failed' | 'skipped', string>;
  reasons: Record<ItemReason, string>;
  /** A code this version does not know. */
  otherReason: (code: string) => string;
}

export const ERROR_LOG_TEXTS: Record<Language, ErrorLogTexts> = {
  en: {
    headers: ['Contact ID', 'Email or phone', 'Outcome', 'Reason', 'Reason code'],
    outcomes: { failed: 'Failed', skipped: 'Skipped' },
    reasons: {
      contact_deleted: 'The contact was deleted in the meantime',
      already_tagged: 'Already had the tag',
      not_tagged: 'Did not have the tag',
      already_deleted: 'Was already deleted',
      already_live: 'Was not deleted (any more): nothing to restore',
      email_in_use: 'Another contact uses this email address by now',
      phone_in_use: 'Another contact uses this phone number by now',
      purged: 'Deleted for good: the restore window had ended',
    },
    otherReason: (code) => `Other reason (${code})`,
  },
  de: {
    headers: ['Kontakt-ID', 'E-Mail oder Telefon', 'Ergebnis', 'Grund', 'Grund-Code'],
    outcomes: { failed: 'Fehlgeschlagen', skipped: 'Übersprungen' },
    reasons: {
      contact_deleted: 'Der Kontakt wurde zwischenzeitlich gelöscht',
      already_tagged: 'Hatte den Tag bereits',
      not_tagged: 'Hatte den Tag nicht',
      already_deleted: 'War bereits gelöscht',
      already_live: 'War nicht (mehr) gelöscht: nichts wiederherzustellen',
      email_in_use: 'Die E-Mail-Adresse nutzt inzwischen ein anderer Kontakt',
      phone_in_use: 'Die Telefonnummer nutzt inzwischen ein anderer Kontakt',
      purged: 'Endgültig gelöscht: Die Wiederherstellungsfrist war abgelaufen',
    },
    otherReason: (code) => `Anderer Grund (${code})`,
  },
};

/** The label of a reason code in a language (unknown codes say so and keep the code). */
export function reasonLabel(texts: ErrorLogTexts, code: string | null): string {
  if (code === null) return '';
  return code in texts.reasons ? texts.reasons[code as ItemReason] : texts.otherReason(code);
}
