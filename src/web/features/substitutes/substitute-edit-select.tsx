import { Badge, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Substitute } from '../../../shared/distribution.ts';
import { useErrorMessage } from '../../components/use-error-message.ts';
import { substituteOptions } from './substitute-edits.ts';
import { useCandidates } from './use-substitutes.ts';

/**
 * The substitute cell of a row in edit mode: a select of the elements of the row's kind in its
 * target account. The candidates load when the select first opens (once per target and kind, shared
 * by the rows through the query cache); until then it offers the current substitute. A deleted
 * current substitute is flagged; `error` is the failed save of this row.
 */
export function SubstituteEditSelect({
  accountId,
  row,
  value,
  error,
  disabled,
  onChange,
}: {
  accountId: string;
  row: Substitute;
  value: string;
  error: unknown;
  disabled: boolean;
  onChange: (substituteId: string | null) => void;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [asked, setAsked] = useState(false);
  const candidates = useCandidates(accountId, row.targetAccount.id, row.kind, '', asked);
  const options = useMemo(
    () => substituteOptions(row, candidates.data, (id) => t('substitutes.edit.missingOption', { id })),
    [row, candidates.data, t],
  );
  const chosen = options.find((o) => o.value === value);
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap">
        <Select
          aria-label={t('substitutes.edit.selectLabel', {
            source: row.source.name || t('substitutes.edit.missingOption', { id: row.source.id }),
            target: row.targetAccount.name,
          })}
          data={options.map((o) => ({ value: o.value, label: o.label }))}
          value={value}
          onChange={onChange}
          onDropdownOpen={() => setAsked(true)}
          searchable
          allowDeselect={false}
          disabled={disabled}
          error={error !== undefined}
          nothingFoundMessage={
            candidates.isFetching ? t('common.loading') : t('substitutes.edit.noCandidates')
          }
          rightSection={
            candidates.isFetching ? <Loader size={14} aria-label={t('common.loading')} /> : undefined
          }
          w={240}
          size="xs"
          data-testid="substitute-edit-select"
        />
        {chosen?.missing && (
          <Badge color="red" variant="light" tt="none" data-testid="substitute-missing">
            {t('substitutes.table.missing')}
          </Badge>
        )}
      </Group>
      {candidates.isError && (
        <Text c="red" size="xs">
          {errorMessage(candidates.error)}
        </Text>
      )}
      {error !== undefined && (
        <Text c="red" size="xs" role="alert" data-testid="substitute-edit-error">
          {errorMessage(error)}
        </Text>
      )}
    </Stack>
  );
}
