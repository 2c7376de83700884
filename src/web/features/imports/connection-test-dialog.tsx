import { Alert, Center, Code, List, Loader, Modal, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconFingerprint, IconX } from '@tabler/icons-react';
import { useEffect, useEffectEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportSource } from '../../../shared/import-sources.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useTestImportSource } from './use-test-import-source.ts';

/**
 * "Test connection": runs the test when opened and shows each step (resolve, connect, TLS, log in,
 * list, match) with its result, the matching files and, for SFTP, the host key's fingerprint.
 */
export function ConnectionTestDialog({
  accountId,
  source,
  onClose,
}: {
  accountId: string;
  source: ImportSource;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const test = useTestImportSource(accountId);
  const run = useEffectEvent(() => test.mutate(source.id));
  useEffect(() => run(), []);
  const result = test.data;

  return (
    <Modal opened onClose={onClose} title={t('imports.test.title', { name: source.name })} size="lg">
      <Stack data-testid="connection-test">
        {test.isPending && (
          <Center p="lg">
            <Loader aria-label={t('common.loading')} />
          </Center>
        )}
        {test.isError && <ErrorAlert error={test.error} onRetry={() => test.mutate(source.id)} />}
        {result && (
          <>
            <Alert
              color={result.ok ? 'green' : 'red'}
              data-testid="connection-test-result"
              data-ok={result.ok}
            >
              {result.ok ? t('imports.test.ok') : t('imports.test.failed')}
            </Alert>
            <List spacing="xs" center>
              {result.steps.map((step) => (
                <List.Item
                  key={step.step}
                  data-testid="connection-test-step"
                  data-step={step.step}
                  data-ok={step.ok}
                  icon={
                    <ThemeIcon color={step.ok ? 'green' : 'red'} size={22} radius="xl">
                      {step.ok ? <IconCheck size={14} /> : <IconX size={14} />}
                    </ThemeIcon>
                  }
                >
                  <Text size="sm" fw={500} span>
                    {t(`imports.test.steps.${step.step}`)}
                  </Text>
                  {step.detail !== '' && (
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {step.detail}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
            {result.hostKeyFingerprint && (
              <Alert color="blue" icon={<IconFingerprint />} title={t('imports.test.hostKey')}>
                <Code data-testid="connection-test-fingerprint">{result.hostKeyFingerprint}</Code>
                <Text size="xs" mt={4}>
                  {t('imports.test.hostKeyHint')}
                </Text>
              </Alert>
            )}
            {result.matchingFiles.length > 0 && (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('imports.test.matchingFiles', { count: result.matchingFiles.length })}
                </Text>
                {result.matchingFiles.map((file) => (
                  <Code key={file}>{file}</Code>
                ))}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}
