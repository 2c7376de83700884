import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { IconPlayerPlay, IconTestPipe } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { buildImportSettings, type WizardSettings } from './import-settings.ts';
import { ImportProgress } from './import-progress.tsx';
import { useStartImport } from './use-start-import.ts';

/**
 * Steps 5 and 6: the dry run (the same run with zero writes) and the import itself. Before the
 * start a button, afterwards the run followed live with its counts and files.
 */
export function RunStep({
  accountId,
  upload,
  settings,
  dryRun,
  actionId,
  onStarted,
}: {
  accountId: string;
  upload: ImportUpload;
  settings: WizardSettings;
  dryRun: boolean;
  actionId: string | null;
  onStarted: (actionId: string) => void;
}) {
  const { t } = useTranslation();
  const start = useStartImport(accountId);
  const [name, setName] = useState('');

  if (actionId) return <ImportProgress accountId={accountId} actionId={actionId} dryRun={dryRun} />;

  const submit = () =>
    start.mutate(
      {
        uploadId: upload.id,
        csv: upload.settings,
        settings: buildImportSettings(settings),
        dryRun,
        ...(name.trim() !== '' && { name: name.trim() }),
      },
      { onSuccess: (action) => onStarted(action.id) },
    );

  return (
    <Stack maw={640}>
      <Text size="sm">{dryRun ? t('imports.run.dryRunIntro') : t('imports.run.importIntro')}</Text>
      {!dryRun && (
        <TextInput
          label={t('imports.run.name')}
          description={t('imports.run.nameHint')}
          placeholder={upload.fileName}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={200}
          data-testid="import-name"
        />
      )}
      {start.isError && <ErrorAlert error={start.error} />}
      {!dryRun && (
        <Alert color="blue" variant="light">
          {t('imports.run.undoHint')}
        </Alert>
      )}
      <Button
        w="fit-content"
        leftSection={dryRun ? <IconTestPipe size={16} /> : <IconPlayerPlay size={16} />}
        loading={start.isPending}
        onClick={submit}
        data-testid={dryRun ? 'import-start-dry-run' : 'import-start'}
      >
        {dryRun ? t('imports.run.startDryRun') : t('imports.run.startImport')}
      </Button>
    </Stack>
  );
}
