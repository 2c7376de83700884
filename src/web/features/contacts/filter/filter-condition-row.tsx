import { ActionIcon, Group, Select, TextInput, Tooltip } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_STATUSES, type Consent, type FieldOperator } from '../../../../shared/contacts.ts';
import type { BuilderContext } from './filter-builder.tsx';
import {
  CONDITION_KINDS,
  newCondition,
  removeNode,
  replaceNode,
  type ConditionKind,
  type DraftCondition,
} from './filter-draft.ts';
import { OPERATORS_BY_TYPE, VALUELESS_OPERATORS } from './filter-fields.ts';
import { FilterValueInput } from './filter-value-input.tsx';
import { useFieldLabel } from './use-field-label.ts';
import { DeliverabilityConditionParts } from '../../deliverability/deliverability-condition.tsx';
import { DateField } from '../../../components/date-field.tsx';

/** One condition: its kind, then field, operator and value as the kind needs them. */
export function FilterConditionRow({
  condition,
  context,
}: {
  condition: DraftCondition;
  context: BuilderContext;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const { change } = context;
  const issue = context.issues.get(condition.id);
  const serverIssue = context.serverIssues.get(condition.id);

  const update = (patch: Partial<DraftCondition>) =>
    change((root) => replaceNode(root, condition.id, (node) => ({ ...node, ...patch }) as DraftCondition));
  const setKind = (kind: ConditionKind) =>
    change((root) => replaceNode(root, condition.id, () => ({ ...newCondition(kind), id: condition.id })));

  // The message goes under the input it is about; a server refusal without a part goes under the value.
  const errorAt = (part: 'field' | 'op' | 'value'): string | undefined => {
    if (issue?.part === part) return t(`contacts.filter.issues.${issue.reason}`);
    if (!serverIssue) return undefined;
    const serverPart =
      serverIssue === 'fieldUnknown' ? 'field' : serverIssue === 'opInvalid' ? 'op' : 'value';
    return serverPart === part ? t(`contacts.filter.server.${serverIssue}`) : undefined;
  };

  const select = { allowDeselect: false, w: 180, comboboxProps: { withinPortal: true } } as const;

  const kindSelect = (
    <Select<ConditionKind>
      {...select}
      aria-label={t('contacts.filter.kind')}
      data={CONDITION_KINDS.map((kind) => ({
        value: kind,
        label:
          kind === 'deliverability' ? t('deliverability.filter.kind') : t(`contacts.filter.kinds.${kind}`),
      }))}
      value={condition.kind}
      onChange={(kind) => kind && kind !== condition.kind && setKind(kind)}
      data-testid="filter-kind"
    />
  );

  // Tag and list conditions: an operator, then one entry of the account's catalogue.
  const catalogueParts = <Op extends string>(p: {
    ops: { value: Op; label: string }[];
    op: Op;
    onOp: (op: Op) => void;
    items: readonly { id: string; name: string }[];
    chosen: string | null;
    onChoose: (id: string | null) => void;
    placeholder: string;
    label: string;
    nothingFound: string;
  }) => (
    <>
      <Select<Op>
        {...select}
        aria-label={t('contacts.filter.operator')}
        data={p.ops}
        value={p.op}
        onChange={(op) => op && p.onOp(op)}
        data-testid="filter-op"
      />
      <Select
        {...select}
        searchable
        placeholder={p.placeholder}
        aria-label={p.label}
        data={p.items.map((item) => ({ value: item.id, label: item.name }))}
        value={p.chosen}
        onChange={p.onChoose}
        nothingFoundMessage={p.nothingFound}
        error={errorAt('value')}
        data-testid="filter-value"
      />
    </>
  );

  let parts: ReactNode;
  switch (condition.kind) {
    case 'field': {
      const field = context.fields.find((f) => f.ref === condition.field);
      const ops = field ? OPERATORS_BY_TYPE[field.type] : [];
      const standard = context.fields.filter((f) => f.customLabel === null);
      const custom = context.fields.filter((f) => f.customLabel !== null);
      parts = (
        <>
          <Select
            {...select}
            searchable
            placeholder={t('contacts.filter.chooseField')}
            aria-label={t('contacts.filter.field')}
            data={[
              {
                group: t('contacts.filter.standardFields'),
                items: standard.map((f) => ({ value: f.ref, label: fieldLabel(f) })),
              },
              ...(custom.length > 0
                ? [
                    {
                      group: t('contacts.filter.customFields'),
                      items: custom.map((f) => ({ value: f.ref, label: fieldLabel(f) })),
                    },
                  ]
                : []),
            ]}
            value={condition.field}
            onChange={(ref) => {
              const next = context.fields.find((f) => f.ref === ref);
              if (!next) return;
              const nextOps = OPERATORS_BY_TYPE[next.type];
              const sameType = field?.type === next.type;
              update({
                field: next.ref,
                op: condition.op && nextOps.includes(condition.op) ? condition.op : nextOps[0]!,
                value: sameType ? condition.value : '',
              });
            }}
            error={errorAt('field')}
            data-testid="filter-field"
          />
          <Select<FieldOperator>
            {...select}
            placeholder={t('contacts.filter.chooseOperator')}
            aria-label={t('contacts.filter.operator')}
            data={ops.map((op) => ({ value: op, label: t(`contacts.filter.ops.${op}`) }))}
            value={condition.op}
            disabled={!field}
            onChange={(op) =>
              op &&
              update({
                op,
                ...(op === 'within_last_days' || condition.op === 'within_last_days' ? { value: '' } : {}),
              })
            }
            error={errorAt('op')}
            data-testid="filter-op"
          />
          {field && condition.op && !VALUELESS_OPERATORS.includes(condition.op) && (
            <FilterValueInput
              type={field.type}
              op={condition.op}
              value={condition.value}
              onChange={(value) => update({ value })}
              error={errorAt('value')}
            />
          )}
        </>
      );
      break;
    }
    case 'tag':
      parts = catalogueParts({
        ops: (['has', 'has_not'] as const).map((op) => ({
          value: op,
          label: t(`contacts.filter.tagOps.${op}`),
        })),
        op: condition.op,
        onOp: (op) => update({ op }),
        items: context.tags,
        chosen: condition.tagId,
        onChoose: (tagId) => update({ tagId }),
        placeholder: t('contacts.filter.chooseTag'),
        label: t('contacts.filter.tag'),
        nothingFound: t('contacts.filter.noTags'),
      });
      break;
    case 'list':
      parts = catalogueParts({
        ops: (['member', 'not_member'] as const).map((op) => ({
          value: op,
          label: t(`contacts.filter.listOps.${op}`),
        })),
        op: condition.op,
        onOp: (op) => update({ op }),
        items: context.lists,
        chosen: condition.listId,
        onChoose: (listId) => update({ listId }),
        placeholder: t('contacts.filter.chooseList'),
        label: t('contacts.filter.list'),
        nothingFound: t('contacts.filter.noLists'),
      });
      break;
    case 'consent':
      parts = (
        <>
          <Select<'email' | 'sms'>
            {...select}
            aria-label={t('contacts.filter.channel')}
            data={(['email', 'sms'] as const).map((channel) => ({
              value: channel,
              label: t(`contacts.filter.channels.${channel}`),
            }))}
            value={condition.channel}
            onChange={(channel) => channel && update({ channel })}
            data-testid="filter-field"
          />
          <Select<Consent>
            {...select}
            aria-label={t('contacts.filter.status')}
            data={CONSENT_STATUSES.map((status) => ({
              value: status,
              label: t(`contacts.consent.${status}`),
            }))}
            value={condition.status}
            onChange={(status) => status && update({ status })}
            error={errorAt('value')}
            data-testid="filter-value"
          />
        </>
      );
      break;
    case 'deliverability':
      parts = <DeliverabilityConditionParts condition={condition} onChange={update} width={select.w} />;
      break;
    case 'email_domain':
      parts = (
        <>
          <Select<'equals' | 'not_equals'>
            {...select}
            aria-label={t('contacts.filter.operator')}
            data={(['equals', 'not_equals'] as const).map((op) => ({
              value: op,
              label: t(`contacts.filter.ops.${op}`),
            }))}
            value={condition.op}
            onChange={(op) => op && update({ op })}
            data-testid="filter-op"
          />
          <TextInput
            aria-label={t('contacts.filter.domain')}
            placeholder="example.com"
            value={condition.value}
            maxLength={255}
            onChange={(e) => update({ value: e.currentTarget.value })}
            error={errorAt('value')}
            w={200}
            data-testid="filter-value"
          />
        </>
      );
      break;
    case 'created':
      parts = (
        <>
          <DateField
            aria-label={t('contacts.filter.createdFrom')}
            leftSection={<span aria-hidden>≥</span>}
            value={condition.from}
            onChange={(from) => update({ from })}
            clearable
            error={errorAt('value')}
            w={180}
            data-testid="filter-value"
          />
          <DateField
            aria-label={t('contacts.filter.createdTo')}
            leftSection={<span aria-hidden>≤</span>}
            value={condition.to}
            onChange={(to) => update({ to })}
            clearable
            w={180}
            data-testid="filter-value-to"
          />
        </>
      );
      break;
  }

  return (
    <Group
      gap="xs"
      align="flex-start"
      wrap="wrap"
      flex={1}
      data-testid="filter-condition"
      data-invalid={issue || serverIssue ? true : undefined}
    >
      {kindSelect}
      {parts}
      <Tooltip label={t('contacts.filter.removeCondition')}>
        <ActionIcon
          variant="subtle"
          color="gray"
          mt={4}
          onClick={() => change((root) => removeNode(root, condition.id))}
          aria-label={t('contacts.filter.removeCondition')}
          data-testid="filter-remove"
        >
          <IconX size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
