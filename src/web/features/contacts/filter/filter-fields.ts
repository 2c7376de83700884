import {
  STANDARD_FIELDS,
  type CustomField,
  type CustomFieldType,
  type FieldOperator,
} from '../../../../shared/contacts.ts';

export type StandardField = (typeof STANDARD_FIELDS)[number];

/**
 * The value type of each standard field and the operators each type allows. The server's filter
 * compiler holds the same tables (src/server/modules/smart-lists/filter-compiler.ts); they are not
 * in src/shared yet, so the builder keeps a copy and the server stays the judge.
 */
export const STANDARD_FIELD_TYPES: Record<StandardField, CustomFieldType> = {
  email: 'text',
  phone: 'text',
  first_name: 'text',
  last_name: 'text',
  created_at: 'date',
  updated_at: 'date',
};

export const OPERATORS_BY_TYPE: Record<CustomFieldType, readonly FieldOperator[]> = {
  text: ['equals', 'not_equals', 'contains', 'starts_with', 'is_empty', 'is_not_empty'],
  number: ['equals', 'not_equals', 'greater_than', 'less_than', 'is_empty', 'is_not_empty'],
  date: ['equals', 'before', 'after', 'within_last_days', 'is_empty', 'is_not_empty'],
  boolean: ['equals', 'not_equals', 'is_empty', 'is_not_empty'],
};

/** Operators that compare with nothing. */
export const VALUELESS_OPERATORS: readonly FieldOperator[] = ['is_empty', 'is_not_empty'];

/** A field a condition can test: a standard column or `custom.<key>`. */
export interface FilterField {
  ref: string;
  type: CustomFieldType;
  /** The custom field's own label; standard fields are translated by their ref. */
  customLabel: string | null;
}

export function filterFields(customFields: readonly CustomField[]): FilterField[] {
  return [
    ...STANDARD_FIELDS.map((ref) => ({ ref, type: STANDARD_FIELD_TYPES[ref], customLabel: null })),
    ...customFields.map((f) => ({ ref: `custom.${f.key}`, type: f.type, customLabel: f.label })),
  ];
}

export function isStandardField(ref: string): ref is StandardField {
  return (STANDARD_FIELDS as readonly string[]).includes(ref);
}
