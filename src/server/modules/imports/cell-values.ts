// What the cells of a file mean: consent words, booleans, numbers and dates as spreadsheets and
// German CRMs write them. Each parser answers the value, or undefined when the cell cannot be read.
import type { Consent, CustomFieldType, CustomValue } from '../../../shared/contacts.ts';
import { isCalendarDate, isSafeText, MAX_NUMBER } from '../../../shared/primitives.ts';

/**
 * A consent cell's meaning: a consent, or `bounced` (older CRMs keep "bounced" as a consent value).
 * A bounce is not the person's choice: the merge leaves consent alone and marks the address
 * undeliverable instead.
 */
export type ConsentCell = Consent | 'bounced';

const CONSENT_WORDS: Record<string, ConsentCell> = {
  subscribed: 'subscribed',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced',
  yes: 'subscribed',
  no: 'unsubscribed',
  ja: 'subscribed',
  nein: 'unsubscribed',
  true: 'subscribed',
  false: 'unsubscribed',
  '1': 'subscribed',
  '0': 'unsubscribed',
  x: 'subscribed',
  'opt-in': 'subscribed',
  optin: 'subscribed',
  'opt-out': 'unsubscribed',
  optout: 'unsubscribed',
  abonniert: 'subscribed',
  angemeldet: 'subscribed',
  abgemeldet: 'unsubscribed',
  unzustellbar: 'bounced',
};

/** A consent cell (`ja`, `no`, `opt-out`, `subscribed`, `1`, …), case-insensitive. */
export function parseConsent(text: string): ConsentCell | undefined {
  return CONSENT_WORDS[text.toLowerCase()];
}

const TRUE_WORDS = new Set(['true', 'yes', 'ja', 'y', 'j', '1', 'x', 'wahr']);
const FALSE_WORDS = new Set(['false', 'no', 'nein', 'n', '0', 'falsch']);

function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return TRUE_WORDS.has(t) ? true : FALSE_WORDS.has(t) ? false : undefined;
}

/**
 * A number as spreadsheets write it. `decimalComma` (files delimited by `;`, as Excel writes them
 * where the comma is the decimal mark, e.g. German): `1.234,5` = 1234.5 and `1.234` = 1234;
 * otherwise `1,234.5` = 1234.5 and `1,234` = 1234. A lone other mark is read as decimal (`1,5`).
 */
function parseNumber(text: string, decimalComma: boolean): number | undefined {
  let t = text.replace(/[\s\u00a0']/g, '');
  const [group, decimal] = decimalComma ? ['.', ','] : [',', '.'];
  const grouped = new RegExp(`^[-+]?\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d+)?$`);
  if (grouped.test(t)) t = t.split(group).join('');
  if (!t.includes('.') || !t.includes(',')) t = t.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) <= MAX_NUMBER ? n : undefined;
}

/** A day as `YYYY-MM-DD` or German `DD.MM.YYYY` (also `D.M.YYYY`); stored as `YYYY-MM-DD`. */
function parseDate(text: string): string | undefined {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : text;
  return isCalendarDate(iso) ? iso : undefined;
}

/** A custom field cell read as its field's type; undefined when it does not fit. */
export function parseCustomValue(
  type: CustomFieldType,
  text: string,
  decimalComma = false,
): Exclude<CustomValue, null> | undefined {
  switch (type) {
    case 'text':
      return text.length <= 2000 && isSafeText(text) ? text.normalize('NFC') : undefined;
    case 'number':
      return parseNumber(text, decimalComma);
    case 'boolean':
      return parseBoolean(text);
    case 'date':
      return parseDate(text);
  }
}

/** What each type expects, for the error message of a cell that does not fit. */
export const EXPECTED: Record<CustomFieldType, string> = {
  text: 'text of at most 2000 characters without control characters',
  number: `a number between -${MAX_NUMBER} and ${MAX_NUMBER}`,
  boolean: 'yes/no, ja/nein, true/false or 1/0',
  date: 'a day as YYYY-MM-DD or DD.MM.YYYY',
};
