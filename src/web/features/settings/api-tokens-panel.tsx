import { Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconKey, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../shared/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { CreateApiTokenDialog } from './create-api-token-dialog.tsx';
import { RevokeApiTokenDialog } from './revoke-api-token-dialog.tsx';
import { useApiTokens } from './use-api-tokens.ts';

/** The user's API tokens: when each was made, last used and expires; create and revoke. */
export function ApiTokensPanel() {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const tokens = useApiTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm" maw={560}>
          {t('settings.tokens.intro')}
        </Text>
        <Button
          leftSection={<IconKey size={16} />}
          onClick={() => setCreating(true)}
          data-testid="token-create"
        >
          {t('settings.tokens.create')}
        </Button>
      </Group>
      {tokens.isPending && <Loader size="sm" />}
      {tokens.isError && <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />}
      {tokens.data?.length === 0 && <Text c="dimmed">{t('settings.tokens.empty')}</Text>}
      {tokens.data && tokens.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="token-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.tokens.name')}</Table.Th>
                <Table.Th>{t('settings.tokens.createdAt')}</Table.Th>
                <Table.Th>{t('settings.tokens.lastUsedAt')}</Table.Th>
                <Table.Th>{t('settings.tokens.expiresAt')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                  <Table.Td>
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('settings.tokens.neverUsed')}
                  </Table.Td>
                  <Table.Td>
                    {token.expiresAt ? formatDateTime(token.expiresAt) : t('settings.tokens.noExpiry')}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      variant="subtle"
                      color="red"
                      size="xs"
                      leftSection={<IconTrash size={14} />}
                      onClick={() => setRevoking(token)}
                      aria-label={t('settings.tokens.revokeNamed', { name: token.name })}
                    >
                      {t('settings.tokens.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateApiTokenDialog opened={creating} onClose={() => setCreating(false)} />
      <RevokeApiTokenDialog token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
