import { Alert, FileInput, Progress, Stack, Text } from '@mantine/core';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { useUploadErrorMessage } from './import-labels.ts';
import { useUploadFile } from './use-upload-file.ts';

/** Step 1: choose a CSV file; it is uploaded at once (with progress) and read by the server. */
export function FileStep({
  accountId,
  onUploaded,
}: {
  accountId: string;
  onUploaded: (upload: ImportUpload) => void;
}) {
  const { t } = useTranslation();
  const upload = useUploadFile(accountId);
  const uploadError = useUploadErrorMessage();

  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('imports.file.hint')}
      </Text>
      <FileInput
        label={t('imports.file.label')}
        placeholder={t('imports.file.placeholder')}
        accept=".csv,.txt,.tsv,text/csv,text/plain"
        leftSection={<IconFileTypeCsv size={18} />}
        disabled={upload.isPending}
        clearable={false}
        onChange={(file) => {
          if (file) upload.mutate({ file }, { onSuccess: onUploaded });
        }}
        data-testid="import-file"
      />
      {upload.isPending && (
        <Stack gap={4}>
          <Progress value={upload.progress * 100} animated data-testid="import-upload-progress" />
          <Text size="xs" c="dimmed">
            {upload.progress < 1 ? t('imports.file.uploading') : t('imports.file.reading')}
          </Text>
        </Stack>
      )}
      {upload.isError && (
        <Alert color="red" title={t('imports.file.failed')} data-testid="import-upload-error">
          {uploadError(upload.error)}
        </Alert>
      )}
    </Stack>
  );
}
