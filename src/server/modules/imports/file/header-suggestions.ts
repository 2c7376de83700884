import type { ColumnTarget, StandardColumnTarget } from '../../../../shared/import-files.ts';

/** A custom field as the suggestion needs it. */
export interface CustomFieldRef {
  key: string;
  label: string;
}

/** Lower case, without spaces, punctuation or underscores: `E-Mail-Adresse` → `emailadresse`. */
export function normalizeHeaderName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

// Header names (normalised) as English and German exports write them.
const NAMES: Record<Exclude<StandardColumnTarget, 'skip'>, string[]> = {
  email: [
    'email',
    'mail',
    'emailadresse',
    'emailaddress',
    'mailadresse',
    'mailaddress',
    'emailadr',
    'emailaddresse',
  ],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'telephone',
    'tel',
    'telefon',
    'telefonnummer',
    'mobil',
    'mobilnummer',
    'mobiltelefon',
    'mobilfunknummer',
    'handy',
    'handynummer',
    'rufnummer',
  ],
  first_name: ['firstname', 'first', 'givenname', 'forename', 'vorname', 'rufname'],
  last_name: ['lastname', 'last', 'surname', 'familyname', 'nachname', 'familienname', 'zuname'],
  tags: ['tags', 'tag', 'labels', 'schlagworte', 'schlagwörter', 'stichworte', 'stichwörter', 'schlagwort'],
  email_consent: [
    'emailconsent',
    'consentemail',
    'newsletter',
    'newsletterconsent',
    'emailoptin',
    'newsletteroptin',
    'optin',
    'einwilligung',
    'einwilligungemail',
    'emaileinwilligung',
    'einwilligungnewsletter',
    'newslettereinwilligung',
    'emailmarketing',
  ],
  sms_consent: ['smsconsent', 'consentsms', 'smsoptin', 'smseinwilligung', 'einwilligungsms', 'smsmarketing'],
};

const STANDARD_BY_NAME = new Map<string, StandardColumnTarget>();
for (const [target, names] of Object.entries(NAMES) as [StandardColumnTarget, string[]][]) {
  for (const name of names) STANDARD_BY_NAME.set(name, target);
}

/**
 * The field a column with this header probably holds: a standard field by its English or German
 * name, else a custom field whose key or label matches, else `skip`. Case, spaces and punctuation
 * do not matter (`E-Mail`, `email_address`, `Vorname`, `Mobil`).
 */
export function suggestTarget(headerName: string, customFields: CustomFieldRef[]): ColumnTarget {
  const name = normalizeHeaderName(headerName);
  if (name === '') return { kind: 'skip' };
  const standard = STANDARD_BY_NAME.get(name);
  if (standard) return { kind: standard };
  const custom =
    customFields.find((f) => normalizeHeaderName(f.key) === name) ??
    customFields.find((f) => normalizeHeaderName(f.label) === name);
  return custom ? { kind: 'custom', key: custom.key } : { kind: 'skip' };
}

/**
 * Suggestions for a whole header: each target at most once, the first column claiming it wins and
 * later ones are suggested `skip` (e.g. `Telefon` and `Mobil` both present: `Telefon` is the phone).
 */
export function suggestTargets(header: string[], customFields: CustomFieldRef[]): ColumnTarget[] {
  const taken = new Set<string>();
  return header.map((name) => {
    const target = suggestTarget(name, customFields);
    if (target.kind === 'skip') return target;
    const id = target.kind === 'custom' ? `custom:${target.key}` : target.kind;
    if (taken.has(id)) return { kind: 'skip' };
    taken.add(id);
    return target;
  });
}
