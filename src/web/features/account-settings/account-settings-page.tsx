import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAdjustments, IconArrowsSplit, IconSend, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { AcceptedKindsPanel } from './accepted-kinds-panel.tsx';
import { GeneralPanel } from './general-panel.tsx';
import { MembersPanel } from './members-panel.tsx';
import { SendingPanel } from '../senders/sending-panel.tsx';

/**
 * /accounts/:accountId/settings: users, the general settings (the account's time zone), sending,
 * and which elements the account accepts in distributions.
 * The open tab is in the URL (?tab=general).
 */
export function AccountSettingsPage() {
  const { t } = useTranslation();
  const account = useCurrentAccount();
  const [searchParams, setSearchParams] = useSearchParams();
  if (!account) return null; // AccountScope shows why

  const tabs = [
    ...(account.rights.includes('users.manage') ? (['users'] as const) : []),
    ...(account.rights.includes('settings.manage') ? (['general', 'sending'] as const) : []),
    // Only an account below another can receive distributions.
    ...(account.rights.includes('settings.manage') && account.parentId !== null
      ? (['distribution'] as const)
      : []),
  ];
  const tab = tabs.find((name) => name === searchParams.get('tab')) ?? tabs[0];

  return (
    <Stack>
      <div>
        <Title order={2}>{t('accountSettings.title')}</Title>
        <Text c="dimmed">{account.name}</Text>
      </div>
      <Tabs
        value={tab ?? null}
        onChange={(value) => setSearchParams(value ? { tab: value } : {}, { replace: true })}
      >
        <Tabs.List>
          {tabs.includes('users') && (
            <Tabs.Tab value="users" leftSection={<IconUsers size={16} />} data-testid="tab-users">
              {t('accountSettings.users.tab')}
            </Tabs.Tab>
          )}
          {tabs.includes('general') && (
            <Tabs.Tab value="general" leftSection={<IconAdjustments size={16} />} data-testid="tab-general">
              {t('accountSettings.general.tab')}
            </Tabs.Tab>
          )}
          {tabs.includes('sending') && (
            <Tabs.Tab value="sending" leftSection={<IconSend size={16} />} data-testid="tab-sending">
              {t('senders.tab')}
            </Tabs.Tab>
          )}
          {tabs.includes('distribution') && (
            <Tabs.Tab
              value="distribution"
              leftSection={<IconArrowsSplit size={16} />}
              data-testid="tab-distribution"
            >
              {t('distribution.accepted.tab')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        {tabs.includes('users') && (
          <Tabs.Panel value="users" pt="lg">
            <MembersPanel account={account} />
          </Tabs.Panel>
        )}
        {tabs.includes('general') && (
          <Tabs.Panel value="general" pt="lg">
            <GeneralPanel key={account.id} account={account} />
          </Tabs.Panel>
        )}
        {tabs.includes('sending') && (
          <Tabs.Panel value="sending" pt="lg">
            <SendingPanel key={account.id} account={account} />
          </Tabs.Panel>
        )}
        {tabs.includes('distribution') && (
          <Tabs.Panel value="distribution" pt="lg">
            <AcceptedKindsPanel key={account.id} account={account} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
