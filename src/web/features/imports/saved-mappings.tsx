import { Alert, Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { buildImportSettings, wizardFromSaved, type WizardSettings } from './import-settings.ts';
import { useImportMappings } from './use-import-mappings.ts';
import { useSaveMapping } from './use-save-mapping.ts';

/**
 * Load a saved mapping over this file (by column name), or save the current one under a name (an
 * existing name is saved over). Scheduled sources import with these mappings.
 */
export function SavedMappings({
  accountId,
  upload,
  settings,
  onLoad,
}: {
  accountId: string;
  upload: ImportUpload;
  settings: WizardSettings;
  onLoad: (settings: WizardSettings) => void;
}) {
  const { t } = useTranslation();
  const mappings = useImportMappings(accountId);
  const save = useSaveMapping(accountId);
  const [loadedId, setLoadedId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const existing = mappings.data?.find((mapping) => mapping.name === name.trim());

  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('imports.mapping.load')}
          placeholder={
            mappings.data?.length === 0 ? t('imports.mapping.noSaved') : t('imports.mapping.loadPlaceholder')
          }
          data={(mappings.data ?? []).map((mapping) => ({ value: mapping.id, label: mapping.name }))}
          value={loadedId}
          onChange={(id) => {
            const mapping = mappings.data?.find((m) => m.id === id);
            setLoadedId(id);
            if (!mapping) return;
            setName(mapping.name);
            onLoad(wizardFromSaved(mapping.settings, upload.header, upload.suggestions));
          }}
          disabled={!mappings.data?.length}
          miw={280}
          data-testid="import-mapping-load"
        />
        <TextInput
          label={t('imports.mapping.saveAs')}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            save.reset();
          }}
          miw={220}
          data-testid="import-mapping-name"
        />
        <Button
          variant="light"
          leftSection={<IconDeviceFloppy size={16} />}
          disabled={name.trim() === ''}
          loading={save.isPending}
          onClick={() =>
            save.mutate(
              { mappingId: existing?.id, name: name.trim(), settings: buildImportSettings(settings) },
              { onSuccess: (mapping) => setLoadedId(mapping.id) },
            )
          }
          data-testid="import-mapping-save"
        >
          {existing ? t('imports.mapping.overwrite') : t('imports.mapping.save')}
        </Button>
      </Group>
      {save.isError && <ErrorAlert error={save.error} mt="sm" />}
      {save.isSuccess && (
        <Alert color="green" mt="sm" data-testid="import-mapping-saved">
          {t('imports.mapping.saved', { name: save.data.name })}
        </Alert>
      )}
    </Paper>
  );
}
