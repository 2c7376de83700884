import { Code, Group, Loader, Paper, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../shared/contacts.ts';
import type { Channel } from '../../../shared/messaging.ts';
import type { TemplatePreview } from '../../../shared/templates.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useContactOptions } from './use-contact-options.ts';

function contactLabel(c: Contact): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  const address = c.email ?? c.phone ?? '';
  return name ? `${name} (${address})` : address;
}

/**
 * The rendered message for the chosen contact (or with defaults). The HTML is shown in a sandboxed
 * frame without scripts, forms or same-origin access, so a template cannot act inside Herald.
 */
export function TemplatePreviewPane({
  accountId,
  channel,
  contactId,
  onContactChange,
  preview,
  failed,
  error,
  loading,
}: {
  accountId: string;
  channel: Channel;
  contactId: string | null;
  onContactChange: (id: string | null) => void;
  preview: TemplatePreview | null;
  /** The latest content could not be rendered (its errors show at the fields). */
  failed: boolean;
  /** A failure that belongs to no field. */
  error: unknown;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const options = useContactOptions(accountId, debounced);
  const [chosen, setChosen] = useState<Contact | null>(null);
  const data = useMemo(() => {
    const list = options.data ?? [];
    const withChosen = chosen && !list.some((c) => c.id === chosen.id) ? [chosen, ...list] : list;
    return withChosen.map((c) => ({ value: c.id, label: contactLabel(c) }));
  }, [options.data, chosen]);

  return (
    <Stack data-testid="template-preview">
      <Group justify="space-between">
        <Title order={3}>{t('templates.editor.preview')}</Title>
        {loading && <Loader size="xs" aria-label={t('common.loading')} />}
      </Group>
      <Select
        label={t('templates.editor.previewContact')}
        placeholder={t('templates.editor.previewContactPlaceholder')}
        data={data}
        value={contactId}
        searchable
        clearable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: all }) => all}
        onChange={(value) => {
          setChosen((options.data ?? []).find((c) => c.id === value) ?? null);
          onContactChange(value);
        }}
        nothingFoundMessage={options.isFetching ? t('common.loading') : undefined}
        data-testid="preview-contact"
      />
      {error !== null && error !== undefined && <ErrorAlert error={error} />}
      {failed && !error && (
        <Text size="sm" c="dimmed" data-testid="preview-failed">
          {t('templates.editor.previewFailed')}
        </Text>
      )}
      {preview && channel === 'email' && preview.channel === 'email' && (
        <Stack gap="xs" opacity={failed ? 0.5 : 1}>
          <Text size="sm">
            <Text span c="dimmed">
              {t('templates.editor.previewSubject')}:{' '}
            </Text>
            <Text span fw={600} data-testid="preview-subject">
              {preview.subject}
            </Text>
          </Text>
          <Tabs defaultValue="html" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="html">{t('templates.editor.previewHtml')}</Tabs.Tab>
              <Tabs.Tab value="text">{t('templates.editor.previewText')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="html" pt="xs">
              <Paper withBorder>
                <iframe
                  title={t('templates.editor.previewFrame')}
                  sandbox=""
                  srcDoc={preview.html ?? ''}
                  style={{ width: '100%', height: 560, border: 0, background: 'white' }}
                  data-testid="preview-frame"
                />
              </Paper>
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="xs">
              <Code block data-testid="preview-text" style={{ whiteSpace: 'pre-wrap' }}>
                {preview.text}
              </Code>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
      {preview && channel === 'sms' && preview.channel === 'sms' && (
        <Stack gap="xs" opacity={failed ? 0.5 : 1}>
          <Paper withBorder p="md" radius="lg" bg="var(--mantine-color-gray-light)" maw={360}>
            <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="preview-text">
              {preview.text}
            </Text>
          </Paper>
          {preview.sms && (
            <Text size="sm" c="dimmed" data-testid="preview-sms-info">
              {t('templates.sms.characters', { count: preview.sms.characters })} ·{' '}
              {t('templates.sms.encoding', { encoding: preview.sms.encoding })} ·{' '}
              {t('templates.sms.segments', { count: preview.sms.segments })}
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
