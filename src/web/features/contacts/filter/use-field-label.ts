import { useTranslation } from 'react-i18next';
import { isStandardField, type FilterField } from './filter-fields.ts';

/** A field's name: translated for the standard ones, the definition's label for custom ones. */
export function useFieldLabel(): (field: FilterField) => string {
  const { t } = useTranslation();
  return (field) =>
    field.customLabel ?? (isStandardField(field.ref) ? t(`contacts.filter.fields.${field.ref}`) : field.ref);
}
