import type { ComboboxItem, ComboboxItemGroup } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS } from '../../../shared/imports.ts';
import { useCustomFields } from '../contacts/catalog/use-custom-fields.ts';

/** The mapping select's options, grouped: standard fields, custom fields, and tags / skip. */
export function useTargetOptions(accountId: string): ComboboxItemGroup<ComboboxItem>[] {
  const { t } = useTranslation();
  const customFields = useCustomFields(accountId);
  return [
    {
      group: t('imports.mapping.standardFields'),
      items: IMPORT_FIELDS.map((field) => ({ value: field, label: t(`imports.fields.${field}`) })),
    },
    {
      group: t('imports.mapping.customFields'),
      items: (customFields.data ?? []).map((field) => ({ value: `custom:${field.key}`, label: field.label })),
    },
    {
      group: t('imports.mapping.other'),
      items: [
        { value: 'tags', label: t('imports.fields.tags') },
        { value: 'skip', label: t('imports.fields.skip') },
      ],
    },
  ];
}

/** The label of a policy key (`email`, `custom.plz`) as the mapping select shows it. */
export function usePolicyKeyLabel(accountId: string): (key: string) => string {
  const { t } = useTranslation();
  const customFields = useCustomFields(accountId);
  return (key) => {
    if (key.startsWith('custom.')) {
      const fieldKey = key.slice('custom.'.length);
      return customFields.data?.find((field) => field.key === fieldKey)?.label ?? fieldKey;
    }
    const field = IMPORT_FIELDS.find((f) => f === key);
    return field ? t(`imports.fields.${field}`) : key;
  };
}
