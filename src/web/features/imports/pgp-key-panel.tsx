import {
  Alert,
  Button,
  Center,
  Code,
  CopyButton,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconCopy, IconDownload, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PgpKey } from '../../../shared/import-sources.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { GeneratePgpKeyForm, UploadPgpKeyForm } from './pgp-key-forms.tsx';
import { useDeletePgpKey } from './use-delete-pgp-key.ts';
import { usePgpKey } from './use-pgp-key.ts';

/**
 * The PGP key tab: the account's key for encrypted import files (its fingerprint and public key to
 * hand to whoever sends the files), generate or upload one, delete it.
 */
export function PgpKeyPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const key = usePgpKey(accountId);

  if (key.isPending)
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (key.isError) return <ErrorAlert error={key.error} onRetry={() => void key.refetch()} />;

  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={720}>
        {t('imports.pgp.intro')}
      </Text>
      {key.data ? (
        <KeyView accountId={accountId} pgpKey={key.data} />
      ) : (
        <Alert color="gray" data-testid="pgp-none">
          {t('imports.pgp.none')}
        </Alert>
      )}
      <Title order={4}>{key.data ? t('imports.pgp.replace') : t('imports.pgp.setUp')}</Title>
      {key.data && (
        <Text size="sm" c="orange.8">
          {t('imports.pgp.replaceHint')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <GeneratePgpKeyForm accountId={accountId} />
        </Paper>
        <Paper withBorder p="md">
          <UploadPgpKeyForm accountId={accountId} />
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

function KeyView({ accountId, pgpKey }: { accountId: string; pgpKey: PgpKey }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const remove = useDeletePgpKey(accountId);
  const [confirming, setConfirming] = useState(false);

  const download = () => {
    const url = URL.createObjectURL(new Blob([pgpKey.publicKeyArmored], { type: 'application/pgp-keys' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `herald-import-${pgpKey.fingerprint.slice(-16).toLowerCase()}.asc`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Paper withBorder p="md" data-testid="pgp-key">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('imports.pgp.fingerprint')}
            </Text>
            <Code fz="sm" data-testid="pgp-fingerprint">
              {formatFingerprint(pgpKey.fingerprint)}
            </Code>
            <Text size="sm">{pgpKey.userId}</Text>
            <Text size="xs" c="dimmed">
              {t('imports.pgp.created', { at: formatDateTime(pgpKey.createdAt) })}
            </Text>
          </Stack>
          <Button
            variant="light"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => setConfirming(true)}
            data-testid="pgp-delete"
          >
            {t('imports.pgp.delete')}
          </Button>
        </Group>
        <Text size="sm" fw={500}>
          {t('imports.pgp.publicKey')}
        </Text>
        <Code block fz="xs" mah={240} style={{ overflow: 'auto' }} data-testid="pgp-public-key">
          {pgpKey.publicKeyArmored}
        </Code>
        <Group>
          <CopyButton value={pgpKey.publicKeyArmored}>
            {({ copied, copy }) => (
              <Button
                variant="light"
                leftSection={<IconCopy size={16} />}
                onClick={copy}
                data-testid="pgp-copy"
              >
                {copied ? t('common.copied') : t('imports.pgp.copy')}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="light"
            leftSection={<IconDownload size={16} />}
            onClick={download}
            data-testid="pgp-download"
          >
            {t('imports.pgp.download')}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('imports.pgp.deleteTitle')}
        text={t('imports.pgp.deleteText')}
        error={remove.error}
        pending={remove.isPending}
        confirmLabel={t('imports.pgp.delete')}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirming(false) })}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
        confirmTestId="pgp-delete-confirm"
      />
    </Paper>
  );
}

/** A fingerprint in groups of four, as PGP tools print it. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint
    .toUpperCase()
    .replace(/[^0-9A-F]/g, '')
    .replace(/(.{4})(?=.)/g, '$1 ');
}
