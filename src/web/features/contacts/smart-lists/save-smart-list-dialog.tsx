import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterGroup, SmartList } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { fieldIssues } from '../../../components/invalid-fields.ts';
import { useCreateSmartList } from './use-create-smart-list.ts';

const NAME_MAX = 200;

/** Saves the builder's filter under a name. A name in use is said at the name, not as a generic conflict. */
export function SaveSmartListDialog({
  accountId,
  filter,
  onClose,
  onSaved,
  onFilterRefused,
}: {
  accountId: string;
  /** The filter to save; the dialog is open while there is one. */
  filter: FilterGroup | null;
  onClose: () => void;
  onSaved: (smartList: SmartList) => void;
  /** The server refused the filter itself: the builder marks the conditions. */
  onFilterRefused: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateSmartList(accountId);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);

  const close = () => {
    onClose();
    create.reset();
    setName('');
    setNameError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!filter) return;
    if (!name.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    create.mutate(
      { name: name.trim(), filter },
      {
        onSuccess: (saved) => {
          close();
          onSaved(saved);
        },
        onError: (error) => {
          if (fieldIssues(error).some((issue) => issue.field.split('.').includes('filter')))
            onFilterRefused(error);
        },
      },
    );
  };

  const issues = fieldIssues(create.error).map((issue) => issue.field);
  const nameTaken = create.error instanceof ApiError && create.error.status === 409;
  const nameInvalid = issues.some((field) => field === 'name' || field === 'body.name');
  const filterRefused = issues.some((field) => field.split('.').includes('filter'));
  const serverNameError = nameTaken
    ? t('contacts.smartLists.nameTaken')
    : nameInvalid
      ? t('contacts.smartLists.nameInvalid')
      : null;

  return (
    <Modal opened={filter !== null} onClose={close} title={t('contacts.smartLists.saveTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('contacts.smartLists.name')}
            value={name}
            maxLength={NAME_MAX}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError ?? serverNameError}
            data-autofocus
            data-testid="smartlist-name"
          />
          {filterRefused && (
            <Alert color="red" icon={<IconAlertCircle />}>
              {t('contacts.smartLists.filterRefused')}
            </Alert>
          )}
          {create.isError && !serverNameError && !filterRefused && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="smartlist-save-submit">
              {t('contacts.smartLists.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
