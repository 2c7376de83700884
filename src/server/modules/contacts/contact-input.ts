// Normalises and checks what a client sends for a contact, against the account's own definitions.
import { AppError } from '../../errors.ts';
import type { CustomFieldType, CustomValue } from '../../../shared/contacts.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import { isCalendarDate, isSafeText, MAX_DATE, MAX_NUMBER, MIN_DATE } from '../../../shared/primitives.ts';

// Stored values and search/filter input share one normaliser (src/shared/normalize.ts).
export {
  DEFAULT_PHONE_COUNTRY,
  normalizeEmail,
  normalizePhone,
  normalizeText,
} from '../../../shared/normalize.ts';

/** Custom text values are stored in NFC, like names, so filters compare like with like. */
export function normalizeCustomValues(values: Record<string, CustomValue>): Record<string, CustomValue> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.normalize('NFC') : v]),
  );
}

export function checkCustomFields(
  values: Record<string, CustomValue>,
  defs: ReadonlyMap<string, CustomFieldType>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(values)) {
    const type = defs.get(key);
    const field = `customFields.${key}`;
    if (!type) issues.push({ field, message: 'unknown custom field' });
    else if (value !== null && !fits(type, value)) issues.push({ field, message: MESSAGES[type] });
  }
  return issues;
}

const MESSAGES: Record<CustomFieldType, string> = {
  text: 'must be a text',
  number: `must be a number between -${MAX_NUMBER} and ${MAX_NUMBER}`,
  boolean: 'must be a boolean',
  date: `must be an existing day as YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}`,
};

function fits(type: CustomFieldType, value: Exclude<CustomValue, null>): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string' && isSafeText(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER;
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      // An existing day in the accepted range: 2026-02-31 and 0000-01-01 are refused.
      return typeof value === 'string' && isCalendarDate(value);
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    fields: issues,
  });
}
