import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useRenameBulkAction } from './use-rename-bulk-action.ts';

const NAME_MAX = 300;

export function RenameBulkActionDialog({
  accountId,
  action,
  onClose,
}: {
  accountId: string;
  action: BulkAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const rename = useRenameBulkAction(accountId);
  const [name, setName] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  const shown = name ?? action?.name ?? '';

  const close = () => {
    onClose();
    rename.reset();
    setName(null);
    setEmpty(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!action) return;
    if (!shown.trim()) return setEmpty(true);
    setEmpty(false);
    if (shown.trim() === action.name) return close();
    rename.mutate({ actionId: action.id, name: shown.trim() }, { onSuccess: close });
  };

  return (
    <Modal opened={action !== null} onClose={close} title={t('bulkActions.dialogs.rename.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('bulkActions.dialogs.rename.field')}
            value={shown}
            maxLength={NAME_MAX}
            onChange={(e) => setName(e.currentTarget.value)}
            error={empty ? t('validation.required') : null}
            data-autofocus
            data-testid="bulk-rename-input"
          />
          {rename.isError && <ErrorAlert error={rename.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending} data-testid="bulk-confirm">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
