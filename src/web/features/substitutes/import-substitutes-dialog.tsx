import { Alert, Button, FileInput, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useImportSubstitutes } from './use-substitutes.ts';

/** Uploads a CSV of substitutes (sent as text/csv) and shows how many rows were applied and which were not, by line. */
export function ImportSubstitutesDialog({
  accountId,
  opened,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const upload = useImportSubstitutes(accountId);
  const close = () => {
    upload.reset();
    setFile(null);
    onClose();
  };
  const result = upload.data;
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('substitutes.import.title')}
      data-testid="import-substitutes-dialog"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('substitutes.import.hint')}
        </Text>
        <FileInput
          label={t('substitutes.import.file')}
          accept=".csv,text/csv"
          value={file}
          onChange={(value) => {
            upload.reset();
            setFile(value);
          }}
          clearable
          data-testid="import-substitutes-file"
        />
        {upload.isError && <ErrorAlert error={upload.error} />}
        {result && (
          <Stack gap="xs" data-testid="import-substitutes-result">
            <Alert color={result.errors.length > 0 ? 'yellow' : 'green'}>
              {t('substitutes.import.applied', { count: result.applied })}
            </Alert>
            {result.errors.length > 0 && (
              <>
                <Text size="sm" fw={500}>
                  {t('substitutes.import.errors')}
                </Text>
                <List size="sm" data-testid="import-substitutes-errors">
                  {result.errors.map((error) => (
                    <List.Item key={error.line}>
                      {t('substitutes.import.line', { line: error.line, message: error.message })}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.close')}
          </Button>
          <Button
            disabled={!file}
            loading={upload.isPending}
            onClick={() => {
              if (file) void file.text().then((text) => upload.mutate(text));
            }}
            data-testid="import-substitutes-submit"
          >
            {t('substitutes.import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
