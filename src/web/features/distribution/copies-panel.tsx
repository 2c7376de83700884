import { Badge, Button, Center, Checkbox, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { DistributableKind, ElementCopy } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { distributionPagePath } from './distribution-api.ts';
import { activationTargets } from './distribution-logic.ts';
import { ActiveBadge } from './element-badges.tsx';
import { RollbackDialog } from './rollback-dialog.tsx';
import { useCopies } from './use-copies.ts';
import { useElementActivation } from './use-element-activation.ts';
import { useStartDistribution } from './use-start-distribution.ts';

/**
 * The element's copies in the target accounts (roll one back), and its activation across accounts:
 * its own status, optionally carried into all or the chosen copies as a job.
 */
export function CopiesPanel({
  accountId,
  kind,
  elementId,
  active,
  mayChangeOwn,
}: {
  accountId: string;
  kind: DistributableKind;
  elementId: string;
  /** The source element's own status. */
  active: boolean;
  /** The user holds `mailings.manage` here (the element's own switch). */
  mayChangeOwn: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const copies = useCopies(accountId, kind, elementId);
  const own = useElementActivation(accountId, kind, elementId);
  const start = useStartDistribution(accountId);
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [alsoCopies, setAlsoCopies] = useState(true);
  const [rollingBack, setRollingBack] = useState<ElementCopy | null>(null);
  const items = copies.data ?? [];
  const targets = activationTargets(all, chosen);

  const changeCopies = (on: boolean) => {
    if (!targets) return;
    start.mutate(
      { operation: on ? 'activate' : 'deactivate', element: { kind, id: elementId }, targets },
      { onSuccess: (distribution) => void navigate(distributionPagePath(accountId, distribution.id)) },
    );
  };
  const changeOwn = (on: boolean) =>
    own.mutate(on, { onSuccess: () => alsoCopies && items.length > 0 && changeCopies(on) });
  const toggle = (id: string, on: boolean) =>
    setChosen((current) => (on ? [...current, id] : current.filter((c) => c !== id)));

  return (
    <Stack>
      <Title order={4}>{t('distribution.activation.title')}</Title>
      <Group gap="sm" data-testid="own-activation">
        <Text size="sm">{t('distribution.activation.own')}</Text>
        <ActiveBadge active={active} />
        {mayChangeOwn && (
          <>
            <Button
              size="xs"
              variant="light"
              color="green"
              disabled={active}
              loading={own.isPending && own.variables}
              onClick={() => changeOwn(true)}
              data-testid="own-activate"
            >
              {t('distribution.activation.activate')}
            </Button>
            <Button
              size="xs"
              variant="light"
              color="gray"
              disabled={!active}
              loading={own.isPending && !own.variables}
              onClick={() => changeOwn(false)}
              data-testid="own-deactivate"
            >
              {t('distribution.activation.deactivate')}
            </Button>
            <Checkbox
              label={t('distribution.activation.alsoCopies')}
              checked={alsoCopies}
              onChange={(e) => setAlsoCopies(e.currentTarget.checked)}
              disabled={items.length === 0}
              data-testid="also-copies"
            />
          </>
        )}
      </Group>
      {own.isError && <ErrorAlert error={own.error} />}
      <Group gap="sm">
        <Checkbox
          label={
            all
              ? t('distribution.activation.allCopies')
              : t('distribution.activation.chosen', { count: chosen.length })
          }
          checked={all}
          onChange={(e) => setAll(e.currentTarget.checked)}
          data-testid="all-copies"
        />
        <Button
          size="xs"
          variant="light"
          disabled={targets === null || items.length === 0}
          loading={start.isPending && start.variables.operation === 'activate'}
          onClick={() => changeCopies(true)}
          data-testid="copies-activate"
        >
          {t('distribution.activation.activateCopies')}
        </Button>
        <Button
          size="xs"
          variant="light"
          color="gray"
          disabled={targets === null || items.length === 0}
          loading={start.isPending && start.variables.operation === 'deactivate'}
          onClick={() => changeCopies(false)}
          data-testid="copies-deactivate"
        >
          {t('distribution.activation.deactivateCopies')}
        </Button>
        {targets === null && (
          <Text size="sm" c="dimmed">
            {t('distribution.activation.noneChosen')}
          </Text>
        )}
      </Group>
      {start.isError && <ErrorAlert error={start.error} />}

      <Title order={4}>{t('distribution.copies.title')}</Title>
      {copies.isError && <ErrorAlert error={copies.error} onRetry={() => void copies.refetch()} />}
      {copies.isPending && (
        <Center p="lg">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {copies.data && items.length === 0 && (
        <Text c="dimmed" data-testid="copies-empty">
          {t('distribution.copies.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table data-testid="copies-table">
            <Table.Thead>
              <Table.Tr>
                {!all && <Table.Th />}
                <Table.Th>{t('distribution.copies.account')}</Table.Th>
                <Table.Th>{t('distribution.copies.name')}</Table.Th>
                <Table.Th>{t('distribution.copies.active')}</Table.Th>
                <Table.Th>{t('distribution.copies.version')}</Table.Th>
                <Table.Th>{t('distribution.copies.distributedAt')}</Table.Th>
                <Table.Th>{t('distribution.copies.changedHere')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((copy) => (
                <Table.Tr key={copy.account.id} data-testid="copy-row" data-account-id={copy.account.id}>
                  {!all && (
                    <Table.Td>
                      <Checkbox
                        aria-label={t('distribution.copies.select', { account: copy.account.name })}
                        checked={chosen.includes(copy.account.id)}
                        onChange={(e) => toggle(copy.account.id, e.currentTarget.checked)}
                        data-testid="copy-select"
                      />
                    </Table.Td>
                  )}
                  <Table.Td>{copy.account.name}</Table.Td>
                  <Table.Td>{copy.copy.name}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={copy.active} />
                  </Table.Td>
                  <Table.Td>{copy.originVersion ?? '–'}</Table.Td>
                  <Table.Td>{copy.distributedAt ? formatDateTime(copy.distributedAt) : '–'}</Table.Td>
                  <Table.Td>
                    {copy.locallyModified ? (
                      <Badge color="yellow" variant="light" tt="none" data-testid="copy-modified">
                        {t('distribution.origin.changedHere')}
                      </Badge>
                    ) : (
                      '–'
                    )}
                  </Table.Td>
                  <Table.Td>
                    {/* Without an earlier version, rolling back removes the copy the distribution created. */}
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconArrowBackUp size={14} />}
                      onClick={() => setRollingBack(copy)}
                      aria-label={`${t(copy.canRollback ? 'distribution.copies.rollback' : 'distribution.copies.remove')}: ${copy.account.name}`}
                      data-testid="copy-rollback"
                      data-removes={!copy.canRollback}
                    >
                      {t(copy.canRollback ? 'distribution.copies.rollback' : 'distribution.copies.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <RollbackDialog
        accountId={accountId}
        kind={kind}
        elementId={elementId}
        copy={rollingBack}
        onClose={() => setRollingBack(null)}
      />
    </Stack>
  );
}
