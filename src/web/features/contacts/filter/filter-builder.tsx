import { ActionIcon, Button, Group, Paper, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { IconFolderPlus, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  type SubscriberList,
  type Tag,
} from '../../../../shared/contacts.ts';
import { FilterConditionRow } from './filter-condition-row.tsx';
import {
  appendNode,
  newCondition,
  newGroup,
  removeNode,
  replaceNode,
  type DraftGroup,
  type DraftIssue,
  type DraftNode,
} from './filter-draft.ts';
import type { ServerFilterReason } from './filter-errors.ts';
import type { FilterField } from './filter-fields.ts';

/** What every node of the builder needs: the catalogue, the problems found, and how to change the tree. */
export interface BuilderContext {
  fields: readonly FilterField[];
  tags: readonly Tag[];
  lists: readonly SubscriberList[];
  /** Problems of the draft, shown once the user tried to apply or save it. */
  issues: ReadonlyMap<string, DraftIssue>;
  serverIssues: ReadonlyMap<string, ServerFilterReason>;
  change: (edit: (root: DraftGroup) => DraftGroup) => void;
}

/** The filter tree: AND/OR groups of conditions, nested up to the API's depth. */
export function FilterBuilder({ root, context }: { root: DraftGroup; context: BuilderContext }) {
  return <FilterGroupBox group={root} depth={1} context={context} />;
}

function FilterGroupBox({
  group,
  depth,
  context,
}: {
  group: DraftGroup;
  depth: number;
  context: BuilderContext;
}) {
  const { t } = useTranslation();
  const { change } = context;
  const full = group.items.length >= MAX_FILTER_CONDITIONS;
  const issue = context.issues.get(group.id);
  const serverIssue = context.serverIssues.get(group.id);

  const content = (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <SegmentedControl<'and' | 'or'>
          size="xs"
          value={group.op}
          onChange={(op) =>
            change((root) => replaceNode(root, group.id, (g) => (g.kind === 'group' ? { ...g, op } : g)))
          }
          data={[
            { value: 'and', label: t('contacts.filter.and') },
            { value: 'or', label: t('contacts.filter.or') },
          ]}
          aria-label={t('contacts.filter.groupOp')}
          data-testid="filter-group-op"
        />
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            disabled={full}
            onClick={() => change((root) => appendNode(root, group.id, newCondition('field')))}
            data-testid="filter-add-condition"
          >
            {t('contacts.filter.addCondition')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconFolderPlus size={14} />}
            disabled={full || depth >= MAX_FILTER_DEPTH}
            onClick={() => change((root) => appendNode(root, group.id, newGroup()))}
            data-testid="filter-add-group"
          >
            {t('contacts.filter.addGroup')}
          </Button>
          {depth > 1 && (
            <Tooltip label={t('contacts.filter.removeGroup')}>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => change((root) => removeNode(root, group.id))}
                aria-label={t('contacts.filter.removeGroup')}
                data-testid="filter-remove-group"
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
      {(issue || serverIssue) && (
        <Text size="sm" c="red" data-testid="filter-group-error">
          {issue ? t(`contacts.filter.issues.${issue.reason}`) : t(`contacts.filter.server.${serverIssue!}`)}
        </Text>
      )}
      {group.items.length === 0 && depth === 1 && (
        <Text size="sm" c="dimmed">
          {t('contacts.filter.empty')}
        </Text>
      )}
      {group.items.map((item, index) => (
        <Group key={item.id} gap="xs" align="flex-start" wrap="nowrap">
          <Text
            size="xs"
            c="dimmed"
            fw={700}
            tt="uppercase"
            w={52}
            mt={10}
            ta="right"
            style={{ flexShrink: 0 }}
          >
            {index === 0 ? t('contacts.filter.where') : t(`contacts.filter.${group.op}Joiner`)}
          </Text>
          <FilterNode node={item} depth={depth} context={context} />
        </Group>
      ))}
    </Stack>
  );

  return depth === 1 ? (
    content
  ) : (
    <Paper withBorder p="xs" flex={1} bg="var(--mantine-color-gray-light)" data-testid="filter-group">
      {content}
    </Paper>
  );
}

function FilterNode({ node, depth, context }: { node: DraftNode; depth: number; context: BuilderContext }) {
  if (node.kind === 'group') return <FilterGroupBox group={node} depth={depth + 1} context={context} />;
  return <FilterConditionRow condition={node} context={context} />;
}
