import { Button, Group, Loader, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriberList } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { CatalogRow } from './catalog-row.tsx';
import { useCreateSubscriberList } from './use-create-subscriber-list.ts';
import { useDeleteSubscriberList } from './use-delete-subscriber-list.ts';
import { useSubscriberLists } from './use-subscriber-lists.ts';
import { useUpdateSubscriberList } from './use-update-subscriber-list.ts';

/** The account's subscriber lists: create, rename, delete. */
export function ManageListsDialog({
  accountId,
  opened,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const lists = useSubscriberLists(accountId);
  const create = useCreateSubscriberList(accountId);
  const [name, setName] = useState('');

  const close = () => {
    onClose();
    create.reset();
    setName('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate({ name: name.trim(), description: null }, { onSuccess: () => setName('') });
  };
  const nameTaken = create.error instanceof ApiError && create.error.status === 409;

  return (
    <Modal opened={opened} onClose={close} title={t('contacts.manage.listsTitle')} size="lg">
      <Stack>
        <form onSubmit={submit} noValidate>
          <Group align="flex-start" gap="xs">
            <TextInput
              flex={1}
              placeholder={t('contacts.manage.newList')}
              aria-label={t('contacts.manage.newList')}
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameTaken ? t('contacts.manage.nameTaken') : null}
              data-testid="manage-list-name"
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="manage-list-create"
            >
              {t('contacts.manage.add')}
            </Button>
          </Group>
        </form>
        {create.isError && !nameTaken && <ErrorAlert error={create.error} />}
        {lists.isPending && <Loader size="sm" />}
        {lists.isError && <ErrorAlert error={lists.error} onRetry={() => void lists.refetch()} />}
        {lists.data?.length === 0 && <Text c="dimmed">{t('contacts.manage.noLists')}</Text>}
        {lists.data && lists.data.length > 0 && (
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {lists.data.map((list) => (
                <ListRow key={list.id} accountId={accountId} list={list} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Modal>
  );
}

function ListRow({ accountId, list }: { accountId: string; list: SubscriberList }) {
  const { t } = useTranslation();
  const update = useUpdateSubscriberList(accountId);
  const remove = useDeleteSubscriberList(accountId);
  return (
    <CatalogRow
      name={list.name}
      count={list.memberCount}
      countLabel={(count) => t('contacts.manage.memberCount', { count })}
      maxLength={200}
      rename={{
        run: (name, done) =>
          update.mutate(
            { listId: list.id, body: { name, description: list.description } },
            { onSuccess: done },
          ),
        pending: update.isPending,
        error: update.error,
        reset: update.reset,
      }}
      remove={{
        run: (confirm) => remove.mutate({ id: list.id, confirm }),
        pending: remove.isPending,
        error: remove.error,
        reset: remove.reset,
      }}
      testId="manage-list-row"
    />
  );
}
