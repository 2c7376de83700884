import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconMail, IconMessage, IconSearch, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { TemplateSummary } from '../../../shared/templates.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { templateKind } from '../distribution/distribution-api.ts';
import { DistributeButton } from '../distribution/distribute-button.tsx';
import { ActiveBadge, OriginBadge } from '../distribution/element-badges.tsx';
import { DeleteTemplateDialog } from './delete-template-dialog.tsx';
import { mayEditTemplates } from './template-rights.ts';
import { useTemplateFilters } from './use-template-filters.ts';
import { useTemplates } from './use-templates.ts';

/** /accounts/:accountId/templates: the account's email and SMS templates. */
export function TemplatesPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <TemplateList key={account.id} account={account} />;
}

function TemplateList({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const [filters, changeFilters] = useTemplateFilters();
  const [search, setSearch] = useState(filters.search);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== filters.search) changeFilters({ search: debounced });
  }, [debounced, filters.search, changeFilters]);
  const templates = useTemplates(account.id, filters);
  const loaded = useMemo(() => templates.data?.pages.flatMap((p) => p.items) ?? [], [templates.data]);
  const [deleting, setDeleting] = useState<TemplateSummary | null>(null);
  const mayEdit = mayEditTemplates(account.rights);
  const base = accountPath(account.id, 'templates');

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('templates.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('templates.intro')}
          </Text>
        </Stack>
        {mayEdit && (
          <Group gap="xs">
            <Button
              component={Link}
              to={`${base}/new/email`}
              leftSection={<IconMail size={16} />}
              data-testid="new-email-template"
            >
              {t('templates.newEmail')}
            </Button>
            <Button
              component={Link}
              to={`${base}/new/sms`}
              variant="light"
              leftSection={<IconMessage size={16} />}
              data-testid="new-sms-template"
            >
              {t('templates.newSms')}
            </Button>
          </Group>
        )}
      </Group>
      <Group>
        <SegmentedControl
          aria-label={t('templates.filter.channel')}
          value={filters.channel ?? 'all'}
          onChange={(value) =>
            changeFilters({ channel: value === 'email' || value === 'sms' ? value : null })
          }
          data={[
            { value: 'all', label: t('templates.filter.all') },
            { value: 'email', label: t('templates.channel.email') },
            { value: 'sms', label: t('templates.channel.sms') },
          ]}
          data-testid="template-channel-filter"
        />
        <TextInput
          placeholder={t('templates.filter.search')}
          aria-label={t('templates.filter.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
          data-testid="template-search"
        />
      </Group>
      {templates.isError && <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {templates.data && (
        <>
          <Table
            highlightOnHover
            data-testid="templates-table"
            opacity={templates.isPlaceholderData ? 0.6 : 1}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('templates.table.name')}</Table.Th>
                <Table.Th>{t('templates.table.channel')}</Table.Th>
                <Table.Th>{t('distribution.active.toggle')}</Table.Th>
                <Table.Th>{t('templates.table.subject')}</Table.Th>
                <Table.Th>{t('templates.table.fields')}</Table.Th>
                <Table.Th>{t('templates.table.updated')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {loaded.map((template) => (
                <Table.Tr
                  key={template.id}
                  data-testid="template-row"
                  data-template-id={template.id}
                  data-active={template.active}
                >
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/${template.id}`}>
                      {template.name}
                    </Anchor>
                    <OriginBadge origin={template.origin} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={template.channel === 'email' ? 'blue' : 'grape'} tt="none">
                      {t(`templates.channel.${template.channel}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <ActiveBadge active={template.active} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {template.subject ?? '–'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" c="dimmed" lineClamp={1}>
                      {template.fields.join(', ') || '–'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(template.updatedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <DistributeButton
                        account={account}
                        kind={templateKind(template.channel)}
                        elementId={template.id}
                        size="xs"
                      />
                      {mayEdit && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('common.delete')}
                          onClick={() => setDeleting(template)}
                          data-testid="template-delete"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {loaded.length === 0 && (
            <Text c="dimmed" ta="center" p="lg" data-testid="templates-empty">
              {filters.channel || filters.search ? t('templates.table.noMatch') : t('templates.table.empty')}
            </Text>
          )}
          {templates.hasNextPage && (
            <Group justify="center">
              <Button
                variant="light"
                onClick={() => void templates.fetchNextPage()}
                loading={templates.isFetchingNextPage}
              >
                {t('templates.table.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      <DeleteTemplateDialog accountId={account.id} template={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
