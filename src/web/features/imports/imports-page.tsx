import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconFileUpload, IconKey, IconServer } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { linkedSourceId } from './imports-api.ts';
import { PgpKeyPanel } from './pgp-key-panel.tsx';
import { SourcesPanel } from './sources-panel.tsx';
import { UploadWizard } from './upload-wizard.tsx';

type ImportsTab = 'upload' | 'sources' | 'pgp';

/**
 * /accounts/:accountId/imports: the upload wizard (right `contacts.import`), the remote sources and
 * the PGP key (right `settings.manage`). The open tab is in the URL (?tab=sources). A failed FTP
 * import's notification links to /imports/ftp/:sourceId: the Sources tab with that source's runs.
 */
export function ImportsPage() {
  const { t } = useTranslation();
  const account = useCurrentAccount();
  const [searchParams, setSearchParams] = useSearchParams();
  const sourceId = linkedSourceId(useParams()['*']);
  if (!account) return null; // AccountScope shows why

  const tabs: ImportsTab[] = [
    ...(account.rights.includes('contacts.import') ? (['upload'] as const) : []),
    ...(account.rights.includes('settings.manage') ? (['sources', 'pgp'] as const) : []),
  ];
  const wanted = searchParams.get('tab') ?? (sourceId ? 'sources' : null);
  const tab = tabs.find((name) => name === wanted) ?? tabs[0];

  return (
    <Stack>
      <div>
        <Title order={2}>{t('imports.title')}</Title>
        <Text c="dimmed">{t('imports.subtitle')}</Text>
      </div>
      <Tabs
        value={tab ?? null}
        onChange={(value) => setSearchParams(value ? { tab: value } : {}, { replace: true })}
      >
        <Tabs.List>
          {tabs.includes('upload') && (
            <Tabs.Tab value="upload" leftSection={<IconFileUpload size={16} />} data-testid="tab-upload">
              {t('imports.tabs.upload')}
            </Tabs.Tab>
          )}
          {tabs.includes('sources') && (
            <Tabs.Tab value="sources" leftSection={<IconServer size={16} />} data-testid="tab-sources">
              {t('imports.tabs.sources')}
            </Tabs.Tab>
          )}
          {tabs.includes('pgp') && (
            <Tabs.Tab value="pgp" leftSection={<IconKey size={16} />} data-testid="tab-pgp">
              {t('imports.tabs.pgp')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        {tabs.includes('upload') && (
          <Tabs.Panel value="upload" pt="lg">
            <UploadWizard key={account.id} accountId={account.id} />
          </Tabs.Panel>
        )}
        {tabs.includes('sources') && (
          <Tabs.Panel value="sources" pt="lg">
            <SourcesPanel key={account.id} accountId={account.id} runsOf={sourceId} />
          </Tabs.Panel>
        )}
        {tabs.includes('pgp') && (
          <Tabs.Panel value="pgp" pt="lg">
            <PgpKeyPanel key={account.id} accountId={account.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
