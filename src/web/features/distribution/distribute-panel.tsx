import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconArrowsSplit, IconListCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ElementSelector, PlanBody } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { distributionPagePath } from './distribution-api.ts';
import {
  onModifiedOf,
  plannedWrites,
  targetSpecOf,
  type ModifiedChoice,
  type PickerState,
} from './distribution-logic.ts';
import { PlanTable } from './plan-table.tsx';
import { TargetPicker } from './target-picker.tsx';
import { usePlan } from './use-plan.ts';
import { useStartDistribution } from './use-start-distribution.ts';

/**
 * Pick targets, check (the dry run shows the plan), fix missing substitutes from the plan, choose
 * what happens to locally modified copies, distribute: then the distribution's page follows it.
 */
export function DistributePanel({ accountId, element }: { accountId: string; element: ElementSelector }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [picker, setPicker] = useState<PickerState>({ mode: 'all' });
  const [planBody, setPlanBody] = useState<PlanBody | null>(null);
  const [choices, setChoices] = useState<Record<string, ModifiedChoice>>({});
  const plan = usePlan(accountId, planBody);
  const start = useStartDistribution(accountId);
  const spec = targetSpecOf(picker);
  // The plan shown is for the targets checked: after a change of the picker, check again first.
  const stale = planBody !== null && JSON.stringify(planBody.targets) !== JSON.stringify(spec);

  const check = () => {
    if (!spec) return;
    setChoices({});
    const body = { element, targets: spec };
    if (planBody && JSON.stringify(planBody) === JSON.stringify(body)) void plan.refetch();
    else setPlanBody(body);
  };
  const distribute = () => {
    if (!planBody) return;
    start.mutate(
      { operation: 'distribute', element, targets: planBody.targets, onModified: onModifiedOf(choices) },
      { onSuccess: (distribution) => void navigate(distributionPagePath(accountId, distribution.id)) },
    );
  };

  return (
    <Stack>
      <TargetPicker accountId={accountId} state={picker} onChange={setPicker} />
      <Group>
        <Button
          variant="light"
          leftSection={<IconListCheck size={16} />}
          disabled={spec === null}
          loading={plan.isFetching}
          onClick={check}
          data-testid="plan-check"
        >
          {t('distribution.plan.check')}
        </Button>
      </Group>
      {plan.isError && <ErrorAlert error={plan.error} />}
      {planBody && plan.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {plan.data && (
        <Stack gap="sm" data-testid="plan" opacity={plan.isFetching ? 0.6 : 1}>
          <Title order={4}>{t('distribution.plan.title')}</Title>
          <PlanTable
            accountId={accountId}
            plan={plan.data}
            choices={choices}
            onChoice={(id, choice) => setChoices((current) => ({ ...current, [id]: choice }))}
          />
          {stale && (
            <Alert color="yellow" data-testid="plan-stale">
              {t('distribution.plan.stale')}
            </Alert>
          )}
          <Group>
            <Button
              leftSection={<IconArrowsSplit size={16} />}
              disabled={stale || plan.data.targets.length === 0 || plan.isFetching}
              loading={start.isPending}
              onClick={distribute}
              data-testid="distribute-start"
            >
              {t('distribution.distribute.button')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('distribution.plan.writes', { count: plannedWrites(plan.data, choices) })}{' '}
              {t('distribution.distribute.hint')}
            </Text>
          </Group>
          {start.isError && <ErrorAlert error={start.error} />}
        </Stack>
      )}
    </Stack>
  );
}
