import { Alert, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AudienceCount } from '../../../shared/mailings.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatNumber } from '../../components/use-format-number.ts';

/**
 * The recipient count step by step: list members → in the target groups → with consent
 * (→ already reached, for a re-send) → recipients; and the parts that are gone, in words.
 */
export function AudienceCountPanel({
  count,
  loading,
  error,
  resend,
  noLists,
}: {
  count: AudienceCount | undefined;
  loading: boolean;
  error: unknown;
  /** A re-send: "already reached" is a step of its own. */
  resend: boolean;
  /** No list chosen yet: nothing to count. */
  noLists: boolean;
}) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  if (noLists) {
    return (
      <Text size="sm" c="dimmed" data-testid="audience-none">
        {t('mailings.audience.chooseList')}
      </Text>
    );
  }
  const steps: { key: string; label: string; value: number | undefined }[] = [
    { key: 'members', label: t('mailings.audience.listMembers'), value: count?.listMembers },
    { key: 'groups', label: t('mailings.audience.inTargetGroups'), value: count?.inTargetGroups },
    { key: 'consent', label: t('mailings.audience.withConsent'), value: count?.withConsent },
    ...(resend
      ? [{ key: 'reached', label: t('mailings.audience.alreadyReached'), value: count?.alreadyReached }]
      : []),
  ];
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="audience-count"
      data-loading={loading ? 'true' : 'false'}
      data-recipients={count?.recipients}
      data-list-members={count?.listMembers}
      data-in-target-groups={count?.inTargetGroups}
      data-with-consent={count?.withConsent}
      data-already-reached={count?.alreadyReached}
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{t('mailings.audience.title')}</Text>
          {loading && <Loader size="xs" aria-label={t('common.loading')} />}
        </Group>
        {error !== null && error !== undefined && <ErrorAlert error={error} />}
        <Group gap="xs" wrap="wrap">
          {steps.map((step) => (
            <Group key={step.key} gap="xs" wrap="nowrap">
              <Stack gap={0}>
                <Text size="xs" c="dimmed">
                  {step.label}
                </Text>
                <Text size="sm">
                  {step.key === 'reached' && step.value !== undefined
                    ? `− ${n(step.value)}`
                    : step.value === undefined
                      ? '–'
                      : n(step.value)}
                </Text>
              </Stack>
              <IconArrowRight size={14} />
            </Group>
          ))}
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('mailings.audience.recipients')}
            </Text>
            <Text size="lg" fw={700} c={count?.recipients === 0 ? 'orange' : undefined}>
              {count ? n(count.recipients) : '–'}
            </Text>
          </Stack>
        </Group>
        {count && count.problems.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />} p="xs" data-testid="audience-problems">
            <Stack gap={2}>
              {count.problems.map((problem) => (
                <Text key={`${problem.reason}-${problem.id}`} size="sm">
                  {t(`mailings.problems.${problem.reason}`, { name: problem.name ?? `#${problem.id}` })}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        {count && count.recipients === 0 && count.problems.length === 0 && (
          <Text size="sm" c="orange" data-testid="audience-empty">
            {t('mailings.audience.empty')}
          </Text>
        )}
        {resend && (
          <Text size="xs" c="dimmed">
            {t('mailings.audience.resendNote')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
