import {
  OPERATORS_BY_TYPE,
  STANDARD_FIELD_TYPES,
  STANDARD_FIELDS,
  type CustomField,
  type CustomFieldType,
  type FieldOperator,
  type StandardField,
} from '../../../../shared/contacts.ts';

// One set of rules for builder and compiler, from src/shared.
export { OPERATORS_BY_TYPE, STANDARD_FIELD_TYPES, type StandardField };

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
