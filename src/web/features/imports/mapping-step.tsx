import { Alert, Group, MultiSelect, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useEffectEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { useSubscriberLists } from '../contacts/catalog/use-subscriber-lists.ts';
import { useTags } from '../contacts/catalog/use-tags.ts';
import {
  parseTargetValue,
  policyKey,
  targetValue,
  type MappingProblem,
  type TagSeparator,
  type WizardSettings,
} from './import-settings.ts';
import { PreviewTable } from './preview-table.tsx';
import { SavedMappings } from './saved-mappings.tsx';
import { usePolicyKeyLabel, useTargetOptions } from './use-target-options.ts';
import { usePreviewUpload } from './use-preview-upload.ts';

const TAG_SEPARATORS: readonly TagSeparator[] = [',', ';', '|'];

/**
 * Step 3: per column what it fills (pre-filled with the server's suggestions), the tag separator,
 * fixed tags and lists for every row, and saved mappings. The preview below is checked again under
 * the mapping as it changes.
 */
export function MappingStep({
  accountId,
  upload,
  settings,
  problems,
  onChange,
  onPreview,
}: {
  accountId: string;
  upload: ImportUpload;
  settings: WizardSettings;
  problems: MappingProblem[];
  onChange: (settings: WizardSettings) => void;
  onPreview: (upload: ImportUpload) => void;
}) {
  const { t } = useTranslation();
  const targetOptions = useTargetOptions(accountId);
  const fieldLabel = usePolicyKeyLabel(accountId);
  const tags = useTags(accountId);
  const lists = useSubscriberLists(accountId);
  const preview = usePreviewUpload(accountId, upload.id);

  // Validate the preview rows under the mapping, once the user stops changing it for a moment.
  const [columns] = useDebouncedValue(settings.columns, 400);
  const check = useEffectEvent(() =>
    preview.mutate({ settings: upload.settings, columns }, { onSuccess: onPreview }),
  );
  const columnsKey = JSON.stringify(columns);
  useEffect(() => check(), [columnsKey]);

  const setTarget = (index: number, value: string | null) =>
    onChange({
      ...settings,
      columns: settings.columns.map((column, i) =>
        i === index ? { ...column, target: parseTargetValue(value ?? 'skip') } : column,
      ),
    });

  const sample = (index: number) =>
    upload.preview.map((row) => row.cells[index]?.value ?? '').find((value) => value !== '') ?? '';

  return (
    <Stack>
      <SavedMappings accountId={accountId} upload={upload} settings={settings} onLoad={onChange} />
      <Table withTableBorder data-testid="import-mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.mapping.column')}</Table.Th>
            <Table.Th>{t('imports.mapping.sample')}</Table.Th>
            <Table.Th>{t('imports.mapping.target')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {settings.columns.map((column, index) => (
            <Table.Tr key={index} data-testid="import-mapping-row" data-header={column.header}>
              <Table.Td fw={500}>{column.header}</Table.Td>
              <Table.Td c="dimmed" maw={240} style={{ overflowWrap: 'anywhere' }}>
                {sample(index)}
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={t('imports.mapping.targetOf', { column: column.header })}
                  data={targetOptions}
                  value={targetValue(column.target)}
                  onChange={(value) => setTarget(index, value)}
                  allowDeselect={false}
                  searchable
                  data-testid="import-mapping-target"
                  data-value={targetValue(column.target)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {problems.map((problem) => (
        <Alert
          key={problem.kind === 'duplicateTarget' ? problem.target : problem.kind}
          color="orange"
          icon={<IconAlertTriangle />}
          data-testid="import-mapping-problem"
        >
          {problem.kind === 'noMatchColumn'
            ? t('imports.mapping.noMatchColumn', { field: fieldLabel(problem.field) })
            : t('imports.mapping.duplicateTarget', {
                field: fieldLabel(policyKey(parseTargetValue(problem.target)) ?? problem.target),
                columns: problem.headers.join(', '),
              })}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Select
          label={t('imports.mapping.tagSeparator')}
          description={t('imports.mapping.tagSeparatorHint')}
          data={TAG_SEPARATORS.map((value) => ({ value, label: value }))}
          value={settings.tagSeparator}
          allowDeselect={false}
          onChange={(value) => {
            const separator = TAG_SEPARATORS.find((s) => s === value);
            if (separator) onChange({ ...settings, tagSeparator: separator });
          }}
          data-testid="import-tag-separator"
        />
        <MultiSelect
          label={t('imports.mapping.fixedTags')}
          description={t('imports.mapping.fixedTagsHint')}
          data={(tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name }))}
          value={settings.fixedTagIds}
          onChange={(fixedTagIds) => onChange({ ...settings, fixedTagIds })}
          searchable
          data-testid="import-fixed-tags"
        />
        <MultiSelect
          label={t('imports.mapping.lists')}
          description={t('imports.mapping.listsHint')}
          data={(lists.data ?? []).map((list) => ({ value: list.id, label: list.name }))}
          value={settings.listIds}
          onChange={(listIds) => onChange({ ...settings, listIds })}
          searchable
          data-testid="import-lists"
        />
      </SimpleGrid>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('imports.mapping.previewHint')}
        </Text>
      </Group>
      <PreviewTable upload={upload} />
    </Stack>
  );
}
