import {
  Button,
  ColorInput,
  ColorSwatch,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tag } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { TAG_SWATCHES } from './tag-colors.ts';
import { CatalogRow } from './catalog-row.tsx';
import { useCreateTag } from './use-create-tag.ts';
import { useDeleteTag } from './use-delete-tag.ts';
import { useTags } from './use-tags.ts';
import { useUpdateTag } from './use-update-tag.ts';

/** The account's tags: create, rename, delete. */
export function ManageTagsDialog({
  accountId,
  opened,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const tags = useTags(accountId);
  const create = useCreateTag(accountId);
  const [name, setName] = useState('');
  const [color, setColor] = useState('');

  const close = () => {
    onClose();
    create.reset();
    setName('');
    setColor('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), color: /^#[0-9a-fA-F]{6}$/.test(color) ? color : null },
      {
        onSuccess: () => {
          setName('');
          setColor('');
        },
      },
    );
  };
  const nameTaken = create.error instanceof ApiError && create.error.status === 409;

  return (
    <Modal opened={opened} onClose={close} title={t('contacts.manage.tagsTitle')} size="lg">
      <Stack>
        <form onSubmit={submit} noValidate>
          <Group align="flex-start" gap="xs">
            <TextInput
              flex={1}
              placeholder={t('contacts.manage.newTag')}
              aria-label={t('contacts.manage.newTag')}
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameTaken ? t('contacts.manage.nameTaken') : null}
              data-testid="manage-tag-name"
            />
            <ColorInput
              w={140}
              format="hex"
              swatches={TAG_SWATCHES}
              placeholder={t('contacts.tags.color')}
              aria-label={t('contacts.tags.color')}
              value={color}
              onChange={setColor}
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="manage-tag-create"
            >
              {t('contacts.manage.add')}
            </Button>
          </Group>
        </form>
        {create.isError && !nameTaken && <ErrorAlert error={create.error} />}
        {tags.isPending && <Loader size="sm" />}
        {tags.isError && <ErrorAlert error={tags.error} onRetry={() => void tags.refetch()} />}
        {tags.data?.length === 0 && <Text c="dimmed">{t('contacts.manage.noTags')}</Text>}
        {tags.data && tags.data.length > 0 && (
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {tags.data.map((tag) => (
                <TagRow key={tag.id} accountId={accountId} tag={tag} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Modal>
  );
}

function TagRow({ accountId, tag }: { accountId: string; tag: Tag }) {
  const { t } = useTranslation();
  const update = useUpdateTag(accountId);
  const remove = useDeleteTag(accountId);
  return (
    <CatalogRow
      name={tag.name}
      badge={<ColorSwatch color={tag.color ?? 'var(--mantine-color-gray-5)'} size={14} />}
      count={tag.contactCount}
      countLabel={(count) => t('contacts.manage.contactCount', { count })}
      maxLength={100}
      rename={{
        run: (name, done) =>
          update.mutate({ tagId: tag.id, body: { name, color: tag.color } }, { onSuccess: done }),
        pending: update.isPending,
        error: update.error,
        reset: update.reset,
      }}
      remove={{
        run: (confirm) => remove.mutate({ id: tag.id, confirm }),
        pending: remove.isPending,
        error: remove.error,
        reset: remove.reset,
      }}
      testId="manage-tag-row"
    />
  );
}
