import { Alert, Badge, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ColumnMapping, CsvSettings, ImportUpload } from '../../../shared/imports.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import {
  ENCODING_OPTIONS,
  encodingLabel,
  useDelimiterOptions,
  useUploadErrorMessage,
} from './import-labels.ts';
import { PreviewTable } from './preview-table.tsx';
import { usePreviewUpload } from './use-preview-upload.ts';

/** Step 2: what was detected (encoding, delimiter; both can be changed: the file is read again) and the first rows. */
export function PreviewStep({
  accountId,
  upload,
  columns,
  onChange,
}: {
  accountId: string;
  upload: ImportUpload;
  columns: ColumnMapping[];
  onChange: (upload: ImportUpload) => void;
}) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const preview = usePreviewUpload(accountId, upload.id);
  const delimiterOptions = useDelimiterOptions();
  const uploadError = useUploadErrorMessage();

  const reread = (settings: CsvSettings) =>
    // The mapping goes along only while the header stays (the same delimiter): otherwise it fits no more.
    preview.mutate(
      { settings, ...(settings.delimiter === upload.settings.delimiter && { columns }) },
      { onSuccess: onChange },
    );

  return (
    <Stack>
      <Group gap="xs">
        <Text fw={500} data-testid="import-file-name">
          {upload.fileName}
        </Text>
        <Text size="sm" c="dimmed">
          {t('imports.preview.size', { size: n(upload.size) })}
        </Text>
      </Group>
      <Group align="flex-end">
        <Select
          label={t('imports.preview.encoding')}
          data={ENCODING_OPTIONS}
          value={upload.settings.encoding}
          allowDeselect={false}
          onChange={(value) => {
            const encoding = ENCODING_OPTIONS.find((o) => o.value === value)?.value;
            if (encoding) reread({ ...upload.settings, encoding });
          }}
          disabled={preview.isPending}
          data-testid="import-encoding"
        />
        <Select
          label={t('imports.preview.delimiter')}
          data={delimiterOptions}
          value={upload.settings.delimiter}
          allowDeselect={false}
          onChange={(value) => {
            const delimiter = delimiterOptions.find((o) => o.value === value)?.value;
            if (delimiter) reread({ ...upload.settings, delimiter });
          }}
          disabled={preview.isPending}
          data-testid="import-delimiter"
        />
        {preview.isPending && <Loader size="sm" mb={8} />}
      </Group>
      <Text size="xs" c="dimmed" data-testid="import-detected">
        {t('imports.preview.detected', {
          encoding: encodingLabel(upload.detected.encoding),
          delimiter: delimiterOptions.find((o) => o.value === upload.detected.delimiter)?.label ?? '',
        })}
        {(upload.detected.encoding !== upload.settings.encoding ||
          upload.detected.delimiter !== upload.settings.delimiter) && (
          <Badge ml="xs" size="xs" color="yellow" variant="light">
            {t('imports.preview.overridden')}
          </Badge>
        )}
      </Text>
      {preview.isError && (
        <Alert color="red" data-testid="import-preview-error">
          {uploadError(preview.error)}
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        {t('imports.preview.firstRows', { count: upload.preview.length })}
      </Text>
      <PreviewTable upload={upload} />
    </Stack>
  );
}
