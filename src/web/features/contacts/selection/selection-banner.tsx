import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Selection } from '../../../../shared/contacts.ts';
import { useCountOptions } from '../../../components/use-format-number.ts';
import { useSelectionPreview } from './use-selection-preview.ts';

/**
 * Under a fully ticked page: offers to select everything the view matches (counted by the same
 * preview bulk actions use), or says that it is.
 */
export function SelectionBanner({
  accountId,
  mode,
  loadedCount,
  matching,
  onSelectAllMatching,
  onClear,
}: {
  accountId: string;
  mode: 'page' | 'all';
  loadedCount: number;
  /** The view's "all matching" selection without exclusions, to count; null while it cannot be built. */
  matching: Selection | null;
  onSelectAllMatching: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const total = useSelectionPreview(accountId, mode === 'page' ? matching : null);

  return (
    <Alert color="indigo" variant="light" p="xs" data-testid="selection-banner">
      <Group gap="sm" justify="center">
        {mode === 'page' ? (
          <>
            <Text size="sm">{t('contacts.selection.pageSelected', countOptions(loadedCount))}</Text>
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={onSelectAllMatching}
              disabled={matching === null}
              data-testid="select-all-matching"
            >
              {total.data === undefined
                ? t('contacts.selection.selectAllMatchingUncounted')
                : t('contacts.selection.selectAllMatching', countOptions(total.data))}
            </Button>
            {total.isFetching && <Loader size={12} />}
          </>
        ) : (
          <>
            <Text size="sm">{t('contacts.selection.allMatchingSelected')}</Text>
            <Button size="compact-sm" variant="subtle" onClick={onClear} data-testid="selection-clear-banner">
              {t('contacts.selection.clear')}
            </Button>
          </>
        )}
      </Group>
    </Alert>
  );
}
