import { Badge, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Plan, PlanTarget } from '../../../shared/distribution.ts';
import { groupPlan, PLAN_OUTCOME_COLORS, type ModifiedChoice } from './distribution-logic.ts';
import { RegisterSubstitute } from './register-substitute.tsx';
import { useKindLabel, useReasonText } from './use-reason-text.ts';

/**
 * The dry run's answer: per target its outcome as a coloured badge, the reason in words, each
 * missing substitute with a way to register it, and for locally modified copies the choice
 * skip / overwrite / keep. Failures lead.
 */
export function PlanTable({
  accountId,
  plan,
  choices,
  onChoice,
}: {
  accountId: string;
  plan: Plan;
  choices: Readonly<Record<string, ModifiedChoice>>;
  onChoice: (accountId: string, choice: ModifiedChoice) => void;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const groups = groupPlan(plan);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" data-testid="plan-references">
        {plan.references.length > 0
          ? t('distribution.plan.references', {
              parts: plan.references
                .map((ref) => t('distribution.missingPart', { kind: kindLabel(ref.kind), name: ref.name }))
                .join(', '),
            })
          : t('distribution.plan.noReferences')}
      </Text>
      {plan.targets.length === 0 ? (
        <Text c="dimmed" data-testid="plan-empty">
          {t('distribution.plan.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table data-testid="plan-table" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('distribution.plan.account')}</Table.Th>
                <Table.Th>{t('distribution.plan.outcome')}</Table.Th>
                <Table.Th>{t('distribution.plan.reason')}</Table.Th>
                <Table.Th>{t('distribution.plan.missing')}</Table.Th>
                <Table.Th>{t('distribution.plan.copy')}</Table.Th>
                <Table.Th>{t('distribution.plan.choice')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.flatMap((group) =>
                group.targets.map((target) => (
                  <PlanRow
                    key={target.account.id}
                    accountId={accountId}
                    target={target}
                    choice={choices[target.account.id] ?? 'skip'}
                    onChoice={(choice) => onChoice(target.account.id, choice)}
                  />
                )),
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function PlanRow({
  accountId,
  target,
  choice,
  onChoice,
}: {
  accountId: string;
  target: PlanTarget;
  choice: ModifiedChoice;
  onChoice: (choice: ModifiedChoice) => void;
}) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const missing = target.detail?.missing ?? [];
  return (
    <Table.Tr
      data-testid="plan-row"
      data-account-id={target.account.id}
      data-outcome={target.outcome}
      style={{ verticalAlign: 'top' }}
    >
      <Table.Td>{target.account.name}</Table.Td>
      <Table.Td>
        <Badge
          color={PLAN_OUTCOME_COLORS[target.outcome]}
          variant="light"
          tt="none"
          data-testid="plan-outcome"
        >
          {t(`distribution.outcome.${target.outcome}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="plan-reason">
          {/* The missing parts have their own column: the reason names only the reason here. */}
          {reasonText(target.reason, target.detail && { ...target.detail, missing: undefined })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap="sm">
          {missing.map((part) => (
            <RegisterSubstitute
              key={`${part.kind}/${part.id}`}
              accountId={accountId}
              target={target.account}
              part={part}
            />
          ))}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {target.copy
            ? target.copy.originVersion === null
              ? target.copy.name
              : t('distribution.plan.copyVersion', {
                  name: target.copy.name,
                  version: target.copy.originVersion,
                })
            : '–'}
        </Text>
      </Table.Td>
      <Table.Td>
        {target.outcome === 'locally_modified' && (
          <SegmentedControl
            size="xs"
            aria-label={t('distribution.plan.choiceLabel', { account: target.account.name })}
            value={choice}
            onChange={(value) => onChoice(value === 'overwrite' || value === 'keep' ? value : 'skip')}
            data={(['skip', 'overwrite', 'keep'] as const).map((value) => ({
              value,
              label: t(`distribution.plan.choices.${value}`),
            }))}
            data-testid="modified-choice"
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}
