import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconDeviceFloppy, IconFilter, IconFilterOff } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterGroup, SmartList, SubscriberList, Tag } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { SaveSmartListDialog } from '../smart-lists/save-smart-list-dialog.tsx';
import { useUpdateSmartList } from '../smart-lists/use-update-smart-list.ts';
import { FilterBuilder, type BuilderContext } from './filter-builder.tsx';
import { compileDraft, draftOf, sameFilter, type DraftGroup } from './filter-draft.ts';
import { serverFilterIssues, type ServerFilterReason } from './filter-errors.ts';
import type { FilterField } from './filter-fields.ts';

interface FilterPanelProps {
  accountId: string;
  /** The filter the table shows now (a SmartList's or the URL's), loaded into the builder. */
  applied: FilterGroup | null;
  /** Changes whenever what is applied changes: then the builder starts again from `applied`. */
  sourceKey: string;
  appliedSmartList: SmartList | null;
  /** A SmartList or filter is applied (even one still loading): Clear has something to clear. */
  somethingApplied: boolean;
  /** The URL's filter could not be read. */
  filterBroken: boolean;
  /** The failure of the contacts list, when there is one: refusals of the filter are shown here. */
  listError: unknown;
  fields: readonly FilterField[];
  tags: readonly Tag[];
  lists: readonly SubscriberList[];
  canEdit: boolean;
  onApply: (filter: FilterGroup | null) => void;
  onSmartListSaved: (smartList: SmartList) => void;
}

interface Held {
  sourceKey: string;
  /** The draft as loaded from what is applied: server errors about the applied filter point into it. */
  initial: DraftGroup;
  draft: DraftGroup;
  /** Problems are shown once the user tried to apply or save, not while a new row is still empty. */
  showIssues: boolean;
  /** The server refused the filter when saving it as a SmartList. */
  refusal: { error: unknown; paths: ReadonlyMap<string, string> } | null;
}

function fresh(sourceKey: string, applied: FilterGroup | null): Held {
  const initial = draftOf(applied);
  return { sourceKey, initial, draft: initial, showIssues: false, refusal: null };
}

/** The filter builder with Apply, Clear and Save as SmartList. */
export function FilterPanel(props: FilterPanelProps) {
  const { accountId, applied, sourceKey, appliedSmartList, fields, canEdit } = props;
  const { t } = useTranslation();
  const updateSmartList = useUpdateSmartList(accountId);
  const [state, setState] = useState(() => fresh(sourceKey, applied));
  const [saving, setSaving] = useState<FilterGroup | null>(null);
  let held = state;
  if (state.sourceKey !== sourceKey) {
    held = fresh(sourceKey, applied);
    setState(held);
  }

  const compiled = useMemo(() => compileDraft(held.draft, fields), [held.draft, fields]);
  const appliedPaths = useMemo(() => compileDraft(held.initial, fields).paths, [held.initial, fields]);
  const listIssues = serverFilterIssues(props.listError, appliedPaths);
  const refusalIssues = held.refusal
    ? serverFilterIssues(held.refusal.error, held.refusal.paths)
    : { byNode: new Map<string, ServerFilterReason>(), aboutFilter: false };
  const serverIssues = new Map([...listIssues.byNode, ...refusalIssues.byNode]);
  const valid = compiled.issues.size === 0;
  const dirty = !valid || !sameFilter(compiled.filter, applied);

  const context: BuilderContext = {
    fields,
    tags: props.tags,
    lists: props.lists,
    issues: held.showIssues ? compiled.issues : new Map(),
    serverIssues,
    change: (edit) => setState((s) => ({ ...s, draft: edit(s.draft), refusal: null })),
  };

  /** The filter to send, or null after marking what is missing. */
  const checked = (): FilterGroup | null => {
    if (valid) return compiled.filter;
    setState((s) => ({ ...s, showIssues: true }));
    return null;
  };

  const apply = () => {
    const filter = checked();
    if (filter) props.onApply(filter);
  };
  const clear = () => {
    setState((s) => ({ ...s, draft: draftOf(null), showIssues: false, refusal: null }));
    props.onApply(null);
  };
  const save = () => {
    const filter = checked();
    if (filter) setSaving(filter);
  };
  const updateApplied = () => {
    const filter = checked();
    if (filter && appliedSmartList)
      updateSmartList.mutate({ smartListId: appliedSmartList.id, body: { filter } });
  };

  return (
    <Paper withBorder p="sm" data-testid="filter-panel">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <IconFilter size={18} aria-hidden />
            <Title order={5}>{t('contacts.filter.title')}</Title>
            {appliedSmartList && (
              <Badge variant="light" tt="none" data-testid="filter-smartlist">
                {t('contacts.filter.fromSmartList', { name: appliedSmartList.name })}
              </Badge>
            )}
          </Group>
          {dirty && (
            <Text size="xs" c="dimmed" data-testid="filter-dirty">
              {t('contacts.filter.notApplied')}
            </Text>
          )}
        </Group>
        {props.filterBroken && (
          <Alert color="yellow" icon={<IconAlertCircle />}>
            {t('contacts.filter.brokenLink')}
          </Alert>
        )}
        <FilterBuilder root={held.draft} context={context} />
        {held.showIssues && !valid && (
          <Text size="sm" c="red" data-testid="filter-invalid">
            {t('contacts.filter.fixMarked')}
          </Text>
        )}
        {(listIssues.aboutFilter || refusalIssues.aboutFilter) && (
          <Alert color="red" icon={<IconAlertCircle />} data-testid="filter-refused">
            {t('contacts.filter.refused')}
          </Alert>
        )}
        {updateSmartList.isError && <ErrorAlert error={updateSmartList.error} />}
        <Group gap="xs">
          <Button size="sm" leftSection={<IconFilter size={16} />} onClick={apply} data-testid="filter-apply">
            {t('contacts.filter.apply')}
          </Button>
          <Button
            size="sm"
            variant="default"
            leftSection={<IconFilterOff size={16} />}
            onClick={clear}
            disabled={held.draft.items.length === 0 && !props.somethingApplied}
            data-testid="filter-clear"
          >
            {t('contacts.filter.clear')}
          </Button>
          {canEdit && (
            <Button
              size="sm"
              variant="light"
              leftSection={<IconDeviceFloppy size={16} />}
              onClick={save}
              data-testid="smartlist-save"
            >
              {t('contacts.smartLists.saveAs')}
            </Button>
          )}
          {canEdit && appliedSmartList && dirty && (
            <Button
              size="sm"
              variant="subtle"
              onClick={updateApplied}
              loading={updateSmartList.isPending}
              data-testid="smartlist-update"
            >
              {t('contacts.smartLists.update', { name: appliedSmartList.name })}
            </Button>
          )}
        </Group>
      </Stack>
      <SaveSmartListDialog
        accountId={accountId}
        filter={saving}
        onClose={() => setSaving(null)}
        onSaved={props.onSmartListSaved}
        onFilterRefused={(error) => setState((s) => ({ ...s, refusal: { error, paths: compiled.paths } }))}
      />
    </Paper>
  );
}
