import { Button, Group, MultiSelect, Select } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { BULK_DISPLAY_STATUSES, BULK_TYPES } from '../../../shared/bulk-actions.ts';
import { hasFilters, rangeReversed, type BulkFilters } from './use-bulk-filters.ts';
import { DateField } from '../../components/date-field.tsx';

/** A user the "created by" filter offers. */
export interface UserOption {
  id: string;
  name: string;
}

/** Status, action type, user and date range; every change goes to the URL. */
export function BulkFilterBar({
  filters,
  onChange,
  me,
  users,
}: {
  filters: BulkFilters;
  onChange: (change: Partial<BulkFilters>) => void;
  me: UserOption;
  /** Other users to offer (besides the current user), e.g. those seen in the loaded actions. */
  users: readonly UserOption[];
}) {
  const { t } = useTranslation();
  const userData = [
    { value: me.id, label: t('bulkActions.filters.me', { name: me.name }) },
    ...users
      .filter((user) => user.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((user) => ({
        value: user.id,
        label: user.name || t('bulkActions.filters.userId', { id: user.id }),
      })),
  ];
  // A user from a shared link whom this page has not seen yet still shows as selected.
  if (filters.createdBy && !userData.some((option) => option.value === filters.createdBy)) {
    userData.push({
      value: filters.createdBy,
      label: t('bulkActions.filters.userId', { id: filters.createdBy }),
    });
  }

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <MultiSelect
        label={t('bulkActions.filters.status')}
        placeholder={filters.status.length === 0 ? t('bulkActions.filters.anyStatus') : undefined}
        data={BULK_DISPLAY_STATUSES.map((status) => ({
          value: status,
          label: t(`bulkActions.statuses.${status}`),
        }))}
        value={filters.status}
        onChange={(values) => onChange({ status: values })}
        clearable
        w={240}
        comboboxProps={{ withinPortal: true }}
        data-testid="bulk-filter-status"
      />
      <MultiSelect
        label={t('bulkActions.filters.type')}
        placeholder={filters.type.length === 0 ? t('bulkActions.filters.anyType') : undefined}
        data={BULK_TYPES.map((type) => ({ value: type, label: t(`bulkActions.types.${type}`) }))}
        value={filters.type}
        onChange={(values) => onChange({ type: values })}
        clearable
        w={260}
        comboboxProps={{ withinPortal: true }}
        data-testid="bulk-filter-type"
      />
      <Select
        label={t('bulkActions.filters.user')}
        placeholder={t('bulkActions.filters.anyone')}
        data={userData}
        value={filters.createdBy}
        onChange={(value) => onChange({ createdBy: value })}
        clearable
        searchable={userData.length > 7}
        w={220}
        data-testid="bulk-filter-user"
      />
      <DateField
        label={t('bulkActions.filters.from')}
        value={filters.from ?? ''}
        maxDate={filters.to ?? undefined}
        onChange={(from) => onChange({ from: from || null })}
        clearable
        w={160}
        data-testid="bulk-filter-from"
      />
      <DateField
        label={t('bulkActions.filters.to')}
        value={filters.to ?? ''}
        minDate={filters.from ?? undefined}
        onChange={(to) => onChange({ to: to || null })}
        clearable
        error={rangeReversed(filters) ? t('bulkActions.filters.rangeReversed') : undefined}
        w={160}
        data-testid="bulk-filter-to"
      />
      {hasFilters(filters) && (
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconFilterOff size={16} />}
          onClick={() => onChange({ status: [], type: [], createdBy: null, from: null, to: null })}
          data-testid="bulk-filter-reset"
        >
          {t('bulkActions.filters.reset')}
        </Button>
      )}
    </Group>
  );
}
