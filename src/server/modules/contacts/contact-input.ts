// Normalises and checks what a client sends for a contact, against the account's own definitions.
import { AppError } from '../../errors.ts';
import type { CustomFieldType, CustomValue } from '../../../shared/contacts.ts';
import type { FieldIssue } from '../../../shared/errors.ts';

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
    else if (value !== null && !fits(type, value))
      issues.push({ field, message: `must be a ${type === 'date' ? 'date as YYYY-MM-DD' : type}` });
  }
  return issues;
}

function fits(type: CustomFieldType, value: Exclude<CustomValue, null>): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return (
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
      );
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    fields: issues,
  });
}
