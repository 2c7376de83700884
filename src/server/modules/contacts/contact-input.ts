// Normalises and checks what a client sends for a contact, against the account's own definitions.
import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js';
import { AppError } from '../../errors.ts';
import type { CustomFieldType, CustomValue } from '../../../shared/contacts.ts';
import type { FieldIssue } from '../../../shared/errors.ts';

/** Numbers without a country prefix are read as German ones (Herald's home market). */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'DE';

export function normalizePhone(raw: string): string | null {
  try {
    const parsed = parsePhoneNumberWithError(raw, DEFAULT_PHONE_COUNTRY);
    return parsed.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
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
