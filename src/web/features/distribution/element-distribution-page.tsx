import { Anchor, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { DistributableKind, Origin } from '../../../shared/distribution.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { useMailing } from '../mailings/use-mailing.ts';
import { useTemplate } from '../templates/use-template.ts';
import { CopiesPanel } from './copies-panel.tsx';
import { DistributePanel } from './distribute-panel.tsx';
import { elementPagePath, isDistributableKind } from './distribution-api.ts';
import { ActiveBadge, OriginBadge } from './element-badges.tsx';
import { ElementSubstitutes } from './element-substitutes.tsx';
import { HistoryTable } from './history-table.tsx';

const TABS = ['distribute', 'copies', 'history', 'substitutes'] as const;
type Tab = (typeof TABS)[number];

/** /accounts/:accountId/distribution/element/:kind/:elementId: distribute one template or mailing. */
export function ElementDistributionPage() {
  const account = useCurrentAccount();
  const { kind, elementId } = useParams();
  if (!account) return null; // AccountScope shows why
  if (!isDistributableKind(kind) || !elementId || !/^\d{1,15}$/.test(elementId))
    return <NoAccess reason="notFound" />;
  return (
    <ElementDistribution
      key={`${account.id}/${kind}/${elementId}`}
      account={account}
      kind={kind}
      elementId={elementId}
    />
  );
}

/** The element as this page needs it, whichever kind it is. */
interface ElementInfo {
  name: string;
  active: boolean;
  version: number;
  origin: Origin | null;
}

function useElement(accountId: string, kind: DistributableKind, elementId: string) {
  const template = useTemplate(accountId, kind === 'mailing' ? null : elementId);
  const mailing = useMailing(accountId, kind === 'mailing' ? elementId : null);
  const query = kind === 'mailing' ? mailing : template;
  const data: ElementInfo | undefined = query.data;
  return {
    data,
    error: query.error,
    isError: query.isError,
    isPending: query.isPending,
    refetch: query.refetch,
  };
}

function ElementDistribution({
  account,
  kind,
  elementId,
}: {
  account: MyAccount;
  kind: DistributableKind;
  elementId: string;
}) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((name) => name === params.get('tab')) ?? 'distribute';
  const element = useElement(account.id, kind, elementId);
  return (
    <Stack>
      <Group>
        <Anchor
          component={Link}
          to={elementPagePath(account.id, kind, elementId)}
          size="sm"
          data-testid="element-back"
        >
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('distribution.element.back')}
          </Group>
        </Anchor>
      </Group>
      {element.isError && <ErrorAlert error={element.error} onRetry={() => void element.refetch()} />}
      {element.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {element.data && (
        <>
          <Stack gap={4}>
            <Title order={2} data-testid="element-distribution-title">
              {t('distribution.element.title', { name: element.data.name })}
            </Title>
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {t(`distribution.kind.${kind}`)} ·{' '}
                {t('distribution.element.version', { version: element.data.version })}
              </Text>
              <ActiveBadge active={element.data.active} />
              <OriginBadge origin={element.data.origin} />
            </Group>
          </Stack>
          <Tabs
            value={tab}
            onChange={(value) =>
              setParams(value && value !== 'distribute' ? { tab: value } : {}, { replace: true })
            }
            keepMounted={false}
          >
            <Tabs.List>
              {TABS.map((name) => (
                <Tabs.Tab key={name} value={name} data-testid={`element-tab-${name}`}>
                  {t(`distribution.element.tabs.${name}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="distribute" pt="lg">
              <DistributePanel accountId={account.id} element={{ kind, id: elementId }} />
            </Tabs.Panel>
            <Tabs.Panel value="copies" pt="lg">
              <CopiesPanel
                accountId={account.id}
                kind={kind}
                elementId={elementId}
                active={element.data.active}
                mayChangeOwn={account.rights.includes('mailings.manage')}
              />
            </Tabs.Panel>
            <Tabs.Panel value="history" pt="lg">
              <HistoryTable accountId={account.id} element={{ kind, id: elementId }} />
            </Tabs.Panel>
            <Tabs.Panel value="substitutes" pt="lg">
              <ElementSubstitutes
                accountId={account.id}
                kind={kind}
                elementId={elementId}
                elementName={element.data.name}
              />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}
