import {
  Alert,
  Badge,
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconDeviceFloppy,
  IconDownload,
  IconPencil,
  IconPlus,
  IconSearch,
  IconTrash,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyAccount } from '../../../shared/auth.ts';
import { ELEMENT_KINDS, elementKindSchema, type Substitute } from '../../../shared/distribution.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useTargetAccounts } from '../distribution/use-target-accounts.ts';
import { useKindLabel } from '../distribution/use-reason-text.ts';
import { AddSubstituteDialog } from './add-substitute-dialog.tsx';
import { ImportSubstitutesDialog } from './import-substitutes-dialog.tsx';
import {
  changedEdits,
  chooseSubstitute,
  chosenSubstituteId,
  editsAfterSave,
  type SubstituteEdits,
} from './substitute-edits.ts';
import { SubstituteEditSelect } from './substitute-edit-select.tsx';
import { substitutesExportUrl } from './substitutes-api.ts';
import { useSubstituteFilters } from './use-substitute-filters.ts';
import {
  useDeleteSubstitutes,
  useSaveSubstituteEdits,
  useStaleCandidates,
  useSubstitutes,
} from './use-substitutes.ts';

/** /accounts/:accountId/substitutes: the substitutes this account's elements have in its sub-accounts. */
export function SubstitutesPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <Substitutes key={account.id} account={account} />;
}

function Substitutes({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const [filters, changeFilters] = useSubstituteFilters();
  const [search, setSearch] = useState(filters.search);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== filters.search) changeFilters({ search: debounced });
  }, [debounced, filters.search, changeFilters]);
  const targets = useTargetAccounts(account.id);
  const substitutes = useSubstitutes(account.id, filters);
  const loaded = useMemo(() => substitutes.data?.pages.flatMap((p) => p.items) ?? [], [substitutes.data]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const remove = useDeleteSubstitutes(account.id);
  // Edit mode: the rows re-pointed so far (kept across filter changes and pages) and the errors of
  // the rows whose save failed; those stay marked with their edit, to correct or save again.
  const [editing, setEditing] = useState(false);
  const [edits, setEdits] = useState<SubstituteEdits>(new Map());
  const [rowErrors, setRowErrors] = useState<ReadonlyMap<string, unknown>>(new Map());
  const save = useSaveSubstituteEdits(account.id);
  const staleCandidates = useStaleCandidates(account.id);
  const loadedById = useMemo(() => new Map(loaded.map((s) => [s.id, s])), [loaded]);
  const changes = changedEdits(edits, loadedById);
  // Only rows still shown count: a filter change drops the others from the selection.
  const chosen = loaded.filter((s) => selected.has(s.id)).map((s) => s.id);
  const allChosen = loaded.length > 0 && chosen.length === loaded.length;
  const filtered = filters.targetAccountId !== null || filters.kind !== null || filters.search !== '';

  const leaveEditMode = () => {
    setEdits(new Map());
    setRowErrors(new Map());
    save.reset();
    setEditing(false);
  };
  const choose = (item: Substitute, substituteId: string | null) => {
    setEdits((current) => chooseSubstitute(current, item, substituteId));
    setRowErrors((current) => {
      const next = new Map(current);
      next.delete(item.id);
      return next;
    });
  };
  const saveChanges = () =>
    save.mutate(changes, {
      onSuccess: (outcome) => {
        setEdits((current) => editsAfterSave(current, outcome));
        setRowErrors(outcome.failed);
        if (outcome.failed.size === 0) setEditing(false);
      },
    });

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('substitutes.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('substitutes.intro')}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setAdding(true)}
            data-testid="substitute-add"
          >
            {t('substitutes.add.button')}
          </Button>
          <Button
            component="a"
            href={substitutesExportUrl(account.id, filters)}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
            data-testid="substitutes-export"
          >
            {t('substitutes.export')}
          </Button>
          <Button
            variant="light"
            leftSection={<IconUpload size={16} />}
            onClick={() => setImporting(true)}
            data-testid="substitutes-import"
          >
            {t('substitutes.import.button')}
          </Button>
        </Group>
      </Group>
      <Group align="flex-end">
        <Select
          label={t('substitutes.filter.target')}
          placeholder={t('substitutes.filter.allTargets')}
          data={(targets.data ?? []).map((target) => ({ value: target.id, label: target.name }))}
          value={filters.targetAccountId}
          onChange={(value) => changeFilters({ targetAccountId: value })}
          searchable
          clearable
          w={260}
          data-testid="substitutes-target-filter"
        />
        <Select
          label={t('substitutes.filter.kind')}
          placeholder={t('substitutes.filter.allKinds')}
          data={ELEMENT_KINDS.map((value) => ({ value, label: kindLabel(value) }))}
          value={filters.kind}
          onChange={(value) => changeFilters({ kind: elementKindSchema.safeParse(value).data ?? null })}
          clearable
          w={220}
          data-testid="substitutes-kind-filter"
        />
        <TextInput
          label={t('substitutes.filter.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
          data-testid="substitutes-search"
        />
        <Button
          color="red"
          variant="light"
          leftSection={<IconTrash size={16} />}
          disabled={chosen.length === 0 || editing}
          onClick={() => setConfirming(true)}
          data-testid="substitutes-bulk-delete"
        >
          {t('substitutes.bulkDelete', { count: chosen.length })}
        </Button>
        {editing ? (
          <>
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              disabled={changes.length === 0}
              loading={save.isPending}
              onClick={saveChanges}
              data-testid="substitutes-save"
            >
              {t('substitutes.edit.save', { count: changes.length })}
            </Button>
            <Button
              variant="default"
              leftSection={<IconX size={16} />}
              disabled={save.isPending}
              onClick={leaveEditMode}
              data-testid="substitutes-discard"
            >
              {t('substitutes.edit.discard')}
            </Button>
          </>
        ) : (
          <Button
            variant="light"
            leftSection={<IconPencil size={16} />}
            disabled={loaded.length === 0}
            onClick={() => {
              staleCandidates();
              setEditing(true);
            }}
            data-testid="substitutes-edit"
          >
            {t('substitutes.edit.button')}
          </Button>
        )}
      </Group>
      {editing && rowErrors.size > 0 && (
        <Alert color="red" data-testid="substitutes-save-failed">
          {t('substitutes.edit.failed', { count: rowErrors.size })}
        </Alert>
      )}
      {save.isError && <ErrorAlert error={save.error} />}
      {substitutes.isError && (
        <ErrorAlert error={substitutes.error} onRetry={() => void substitutes.refetch()} />
      )}
      {substitutes.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {substitutes.data && (
        <>
          <Table.ScrollContainer minWidth={800}>
            <Table
              highlightOnHover
              data-testid="substitutes-table"
              opacity={substitutes.isPlaceholderData ? 0.6 : 1}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label={t('substitutes.table.selectAll')}
                      checked={allChosen}
                      indeterminate={chosen.length > 0 && !allChosen}
                      onChange={(e) =>
                        setSelected(new Set(e.currentTarget.checked ? loaded.map((s) => s.id) : []))
                      }
                      data-testid="substitutes-select-all"
                    />
                  </Table.Th>
                  <Table.Th>{t('substitutes.table.source')}</Table.Th>
                  <Table.Th>{t('substitutes.table.kind')}</Table.Th>
                  {filters.targetAccountId === null && <Table.Th>{t('substitutes.table.target')}</Table.Th>}
                  <Table.Th>{t('substitutes.table.substitute')}</Table.Th>
                  <Table.Th>{t('substitutes.table.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {loaded.map((item) => (
                  <SubstituteRow
                    key={item.id}
                    item={item}
                    withTarget={filters.targetAccountId === null}
                    checked={selected.has(item.id)}
                    onToggle={(on) => toggle(item.id, on)}
                    edit={
                      editing
                        ? {
                            accountId: account.id,
                            value: chosenSubstituteId(edits, item),
                            changed: edits.has(item.id),
                            error: rowErrors.get(item.id),
                            disabled: save.isPending,
                            onChange: (value) => choose(item, value),
                          }
                        : null
                    }
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {loaded.length === 0 && (
            <Text c="dimmed" ta="center" p="lg" data-testid="substitutes-empty">
              {filtered ? t('substitutes.table.noMatch') : t('substitutes.table.empty')}
            </Text>
          )}
          {substitutes.hasNextPage && (
            <Group justify="center">
              <Button
                variant="light"
                onClick={() => void substitutes.fetchNextPage()}
                loading={substitutes.isFetchingNextPage}
              >
                {t('substitutes.table.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      <ConfirmDialog
        opened={confirming}
        title={t('substitutes.deleteTitle')}
        text={t('substitutes.deleteText', { count: chosen.length })}
        error={remove.error}
        pending={remove.isPending}
        confirmLabel={t('common.delete')}
        onConfirm={() =>
          remove.mutate(chosen, {
            onSuccess: () => {
              setSelected(new Set());
              setConfirming(false);
            },
          })
        }
        onClose={() => {
          remove.reset();
          setConfirming(false);
        }}
        confirmTestId="substitutes-delete-confirm"
        dialogTestId="substitutes-delete-dialog"
      />
      {adding && (
        <AddSubstituteDialog
          accountId={account.id}
          opened={adding}
          targets={targets.data ?? []}
          initialTargetId={filters.targetAccountId}
          onClose={() => setAdding(false)}
        />
      )}
      <ImportSubstitutesDialog
        accountId={account.id}
        opened={importing}
        onClose={() => setImporting(false)}
      />
    </Stack>
  );
}

function SubstituteRow({
  item,
  withTarget,
  checked,
  onToggle,
  edit,
}: {
  item: Substitute;
  withTarget: boolean;
  checked: boolean;
  onToggle: (on: boolean) => void;
  /** Edit mode: the row's select (null: the substitute is shown as text). */
  edit: {
    accountId: string;
    value: string;
    changed: boolean;
    error: unknown;
    disabled: boolean;
    onChange: (substituteId: string | null) => void;
  } | null;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const formatDateTime = useFormatDateTime();
  const missing = (
    <Badge color="red" variant="light" tt="none" ml={4} data-testid="substitute-missing">
      {t('substitutes.table.missing')}
    </Badge>
  );
  return (
    <Table.Tr
      data-testid="substitute-row"
      data-substitute-id={item.id}
      data-changed={edit?.changed ? 'true' : undefined}
      bg={edit?.changed ? 'var(--mantine-color-yellow-light)' : undefined}
    >
      <Table.Td>
        <Checkbox
          aria-label={t('substitutes.table.select', {
            name: `${item.source.name} → ${item.substitute.name}`,
          })}
          checked={checked}
          onChange={(e) => onToggle(e.currentTarget.checked)}
          data-testid="substitute-select"
        />
      </Table.Td>
      <Table.Td>
        {item.source.name}
        {item.source.missing && missing}
      </Table.Td>
      <Table.Td>{kindLabel(item.kind)}</Table.Td>
      {withTarget && <Table.Td>{item.targetAccount.name}</Table.Td>}
      <Table.Td>
        {edit ? (
          <Group gap={4} wrap="nowrap">
            <SubstituteEditSelect
              accountId={edit.accountId}
              row={item}
              value={edit.value}
              error={edit.error}
              disabled={edit.disabled}
              onChange={edit.onChange}
            />
            {edit.changed && (
              <Badge variant="light" color="yellow" tt="none" data-testid="substitute-changed">
                {t('substitutes.edit.changed')}
              </Badge>
            )}
          </Group>
        ) : (
          <>
            {item.substitute.name}
            {item.substitute.missing && missing}
          </>
        )}
      </Table.Td>
      <Table.Td>{formatDateTime(item.updatedAt)}</Table.Td>
    </Table.Tr>
  );
}
