import { NumberInput, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CustomFieldType, FieldOperator } from '../../../../shared/contacts.ts';
import { DateField } from '../../../components/date-field.tsx';

interface FilterValueInputProps {
  type: CustomFieldType;
  op: FieldOperator;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}

/** The value of a field condition, with an input that fits the field's type and the operator. */
export function FilterValueInput({ type, op, value, onChange, error }: FilterValueInputProps) {
  const { t } = useTranslation();
  const common = {
    'aria-label': t('contacts.filter.value'),
    error,
    w: 200,
    'data-testid': 'filter-value',
  };
  if (op === 'within_last_days') {
    return (
      <NumberInput
        {...common}
        value={value}
        onChange={(v) => onChange(String(v))}
        min={0}
        max={36_500}
        allowDecimal={false}
        allowNegative={false}
        rightSection={t('contacts.filter.days')}
        rightSectionWidth={56}
      />
    );
  }
  switch (type) {
    case 'text':
      return (
        <TextInput
          {...common}
          value={value}
          maxLength={500}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return <NumberInput {...common} value={value} onChange={(v) => onChange(String(v))} />;
    case 'date':
      return <DateField {...common} value={value} onChange={onChange} />;
    case 'boolean':
      return (
        <Select
          {...common}
          placeholder={t('contacts.filter.choose')}
          data={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
          value={value === 'true' || value === 'false' ? value : null}
          onChange={(v) => onChange(v ?? '')}
          allowDeselect={false}
        />
      );
  }
}
