import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../shared/contacts.ts';
import { isStandardColumn, type ColumnId } from './columns.ts';

/** The header of a column: translated for standard ones, the field's own label for custom ones. */
export function useColumnLabel(customFields: readonly CustomField[]): (id: ColumnId) => string {
  const { t } = useTranslation();
  const labels = new Map(customFields.map((f) => [`custom.${f.key}`, f.label]));
  return (id) => (isStandardColumn(id) ? t(`contacts.columns.${id}`) : (labels.get(id) ?? id));
}
