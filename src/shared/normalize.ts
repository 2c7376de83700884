import { getCountryCallingCode, parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js';

/**
 * The one set of normalisers for what Herald stores and for what users type into search and filter
 * values, so that "030 3861682" finds the contact stored as "+49303861682".
 *
 * Text is compared in Unicode NFC: "ü" typed as one code point or as "u" + combining diaeresis is
 * the same letter. Case is folded with `toLowerCase` (so "Ä" matches "ä"). Spelled-out forms
 * ("ue" for "ü", "ss" for "ß") are NOT equated: "Müller" and "Mueller" are different names people
 * really have, and equating them would make equality filters and uniqueness ambiguous.
 */

/** Numbers without a country prefix are read as German ones (Herald's home market). */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'DE';

/** Trimmed, NFC text; the form names and other free text are stored in. */
export function normalizeText(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** The comparison key of a text: NFC, trimmed, lower-cased (what the `sort_*` columns hold). */
export function textKey(raw: string): string {
  return normalizeText(raw).toLowerCase();
}

/** Emails are stored and compared trimmed, NFC and lower-cased. */
export function normalizeEmail(raw: string): string {
  return textKey(raw);
}

/** A complete phone number in E.164, or null when it is not a valid number. */
export function normalizePhone(raw: string): string | null {
  try {
    const parsed = parsePhoneNumberWithError(raw.normalize('NFC').trim(), DEFAULT_PHONE_COUNTRY);
    return parsed.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
}

/** True when a typed term looks like (part of) a phone number rather than a name or email. */
export function looksLikePhone(raw: string): boolean {
  const term = raw.trim();
  return /^[+\d\s()/.-]+$/.test(term) && term.replace(/\D/g, '').length >= 4;
}

/**
 * What a typed (possibly partial) phone number is in stored E.164 form, for prefix and substring
 * matches: its digits, with an international prefix (`+`, `00`) or the national trunk `0` (read as
 * the default country) turned into `+<code>`. It is not parsed as a whole number: "386 1682" is
 * part of a number, not the (valid) number +493861682. `international` says whether the result
 * starts at the country code (then it begins with `+`).
 */
export function phoneFragment(raw: string): { value: string; international: boolean } {
  const term = raw.trim();
  const digits = term.replace(/\D/g, '');
  if (term.startsWith('+')) return { value: `+${digits}`, international: true };
  if (digits.startsWith('00')) return { value: `+${digits.slice(2)}`, international: true };
  if (digits.startsWith('0'))
    return {
      value: `+${getCountryCallingCode(DEFAULT_PHONE_COUNTRY)}${digits.slice(1)}`,
      international: true,
    };
  return { value: digits, international: false };
}
