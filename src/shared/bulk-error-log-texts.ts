import type { Language } from './auth.ts';

/**
 * The error log CSV's own words in the reader's language: column headers and outcomes. Reason
 * labels come from the action's type (its registered reasons, see `server/engine/reasons.ts`);
 * the stable reason code stays in the last column so that spreadsheets can still filter by it.
 */
export interface ErrorLogTexts {
  headers: readonly [string, string, string, string, string, string];
  outcomes: Record<'failed' | 'skipped', string>;
}

export const ERROR_LOG_TEXTS: Record<Language, ErrorLogTexts> = {
  en: {
    headers: ['Contact ID', 'Email or phone', 'Outcome', 'Reason', 'Details', 'Reason code'],
    outcomes: { failed: 'Failed', skipped: 'Skipped' },
  },
  de: {
    headers: ['Kontakt-ID', 'E-Mail oder Telefon', 'Ergebnis', 'Grund', 'Details', 'Grund-Code'],
    outcomes: { failed: 'Fehlgeschlagen', skipped: 'Übersprungen' },
  },
};
