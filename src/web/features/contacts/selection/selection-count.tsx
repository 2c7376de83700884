import { Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Selection } from '../../../../shared/contacts.ts';
import { useCountOptions } from '../../../components/use-format-number.ts';
import type { SelectionState } from './use-contact-selection.ts';
import { useSelectionPreview } from './use-selection-preview.ts';

/** "N contacts selected" and "Clear selection"; for "all matching" N is counted by the server. */
export function SelectionCount({
  accountId,
  state,
  selection,
  onClear,
}: {
  accountId: string;
  state: SelectionState;
  selection: Selection | null;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const preview = useSelectionPreview(accountId, state.mode === 'all' ? selection : null);
  const count = state.mode === 'ids' ? state.ids.size : preview.data;
  if (state.mode === 'ids' && count === 0) return null;

  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={600} data-testid="selection-count" data-count={count}>
        {count === undefined
          ? t('contacts.selection.counting')
          : t('contacts.selection.count', countOptions(count))}
      </Text>
      {state.mode === 'all' && preview.isFetching && <Loader size={12} aria-label={t('common.loading')} />}
      <Button size="compact-sm" variant="subtle" color="gray" onClick={onClear} data-testid="selection-clear">
        {t('contacts.selection.clear')}
      </Button>
    </Group>
  );
}
