import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useUpdateSmartList } from './use-update-smart-list.ts';

export function RenameSmartListDialog({
  accountId,
  smartList,
  onClose,
}: {
  accountId: string;
  smartList: SmartList | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateSmartList(accountId);
  const [name, setName] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const shown = name ?? smartList?.name ?? '';

  const close = () => {
    onClose();
    update.reset();
    setName(null);
    setNameError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!smartList) return;
    if (!shown.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    if (shown.trim() === smartList.name) return close();
    update.mutate({ smartListId: smartList.id, body: { name: shown.trim() } }, { onSuccess: close });
  };

  const nameTaken = update.error instanceof ApiError && update.error.status === 409;

  return (
    <Modal opened={smartList !== null} onClose={close} title={t('contacts.smartLists.renameTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('contacts.smartLists.name')}
            value={shown}
            maxLength={200}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError ?? (nameTaken ? t('contacts.smartLists.nameTaken') : null)}
            data-autofocus
            data-testid="smartlist-rename-name"
          />
          {update.isError && !nameTaken && <ErrorAlert error={update.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} data-testid="smartlist-rename-submit">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
