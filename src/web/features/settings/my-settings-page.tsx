import { Divider, Stack, Tabs, Title } from '@mantine/core';
import { IconKey, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiTokensPanel } from './api-tokens-panel.tsx';
import { BasicSettingsForm } from './basic-settings-form.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';

const TABS = ['basic', 'tokens'] as const;
type Tab = (typeof TABS)[number];

/** /me/settings: the user's own settings, not tied to an account. The open tab is in the URL (?tab=tokens). */
export function MySettingsPage() {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: Tab = TABS.find((name) => name === searchParams.get('tab')) ?? 'basic';

  return (
    <Stack>
      <Title order={2}>{t('settings.title')}</Title>
      <Tabs
        value={tab}
        onChange={(value) =>
          setSearchParams(value && value !== 'basic' ? { tab: value } : {}, { replace: true })
        }
      >
        <Tabs.List>
          <Tabs.Tab value="basic" leftSection={<IconUser size={16} />} data-testid="tab-basic">
            {t('settings.basic.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="tokens" leftSection={<IconKey size={16} />} data-testid="tab-tokens">
            {t('settings.tokens.tab')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="basic" pt="lg">
          <Stack gap="xl">
            <BasicSettingsForm />
            <Divider />
            <ChangePasswordForm />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="lg">
          <ApiTokensPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
