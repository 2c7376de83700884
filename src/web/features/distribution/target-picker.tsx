import { Button, Checkbox, Group, Loader, Radio, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TargetAccount } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { matchesNameFilter, type PickerState } from './distribution-logic.ts';
import { useTargetAccounts } from './use-target-accounts.ts';

/**
 * Which sub-accounts to distribute into: all, a selection over the account tree (indented by
 * depth), or those whose name contains a text (the matching ones are listed as the user types).
 */
export function TargetPicker({
  accountId,
  state,
  onChange,
}: {
  accountId: string;
  state: PickerState;
  onChange: (state: PickerState) => void;
}) {
  const { t } = useTranslation();
  const targets = useTargetAccounts(accountId);
  const accounts = targets.data ?? [];
  const selected = new Set(state.mode === 'selected' ? state.accountIds : []);
  const filter = state.mode === 'name' ? state.filter : '';
  const matching = state.mode === 'name' ? accounts.filter((a) => matchesNameFilter(a.name, filter)) : [];

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange({ mode: 'selected', accountIds: [...next] });
  };

  return (
    <Stack gap="xs" data-testid="target-picker">
      <Radio.Group
        label={t('distribution.picker.label')}
        value={state.mode}
        onChange={(mode) =>
          onChange(
            mode === 'selected'
              ? { mode, accountIds: [] }
              : mode === 'name'
                ? { mode, filter: '' }
                : { mode: 'all' },
          )
        }
      >
        <Group mt={4}>
          <Radio value="all" label={t('distribution.picker.all')} data-testid="target-mode-all" />
          <Radio
            value="selected"
            label={t('distribution.picker.selected')}
            data-testid="target-mode-selected"
          />
          <Radio value="name" label={t('distribution.picker.name')} data-testid="target-mode-name" />
        </Group>
      </Radio.Group>
      {targets.isError && <ErrorAlert error={targets.error} onRetry={() => void targets.refetch()} />}
      {targets.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {targets.data && accounts.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="target-picker-empty">
          {t('distribution.picker.empty')}
        </Text>
      )}
      {state.mode === 'selected' && accounts.length > 0 && (
        <>
          <Group gap="xs">
            <Button
              size="xs"
              variant="subtle"
              onClick={() => onChange({ mode: 'selected', accountIds: accounts.map((a) => a.id) })}
            >
              {t('distribution.picker.selectAll')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => onChange({ mode: 'selected', accountIds: [] })}>
              {t('distribution.picker.selectNone')}
            </Button>
            <Text size="sm" c="dimmed" data-testid="target-selected-count">
              {t('distribution.picker.selectedCount', { count: selected.size })}
            </Text>
          </Group>
          <ScrollArea.Autosize mah={320} type="auto">
            <Stack gap={6} data-testid="target-tree">
              {accounts.map((account) => (
                <TargetCheckbox
                  key={account.id}
                  account={account}
                  checked={selected.has(account.id)}
                  onToggle={(on) => toggle(account.id, on)}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </>
      )}
      {state.mode === 'name' && (
        <>
          <TextInput
            label={t('distribution.picker.filter')}
            placeholder={t('distribution.picker.filterPlaceholder')}
            value={filter}
            maxLength={200}
            onChange={(e) => onChange({ mode: 'name', filter: e.currentTarget.value })}
            w={320}
            data-testid="target-name-filter"
          />
          {filter.trim() !== '' && (
            <Text size="sm" c="dimmed" data-testid="target-name-matches">
              {t('distribution.picker.matches', { count: matching.length })}
              {matching.length > 0 && `: ${matching.map((a) => a.name).join(', ')}`}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

function TargetCheckbox({
  account,
  checked,
  onToggle,
}: {
  account: TargetAccount;
  checked: boolean;
  onToggle: (on: boolean) => void;
}) {
  return (
    <Checkbox
      label={account.name}
      checked={checked}
      onChange={(e) => onToggle(e.currentTarget.checked)}
      pl={(account.depth - 1) * 24}
      data-testid="target-checkbox"
      data-account-id={account.id}
    />
  );
}
