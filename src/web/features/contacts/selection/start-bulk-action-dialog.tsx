import { Alert, Button, Group, Loader, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RESTORE_WINDOW_DAYS,
  type BulkAction,
  type CreateBulkActionBody,
  type StartableType,
} from '../../../../shared/bulk-actions.ts';
import type { Selection, Tag } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { fieldIssues } from '../../../components/invalid-fields.ts';
import { useBulkPreview } from '../../bulk-actions/use-bulk-preview.ts';
import { useCreateBulkAction } from '../../bulk-actions/use-create-bulk-action.ts';
import { useSelectionPreview } from './use-selection-preview.ts';

const TITLES = {
  add_tag: 'addTagTitle',
  remove_tag: 'removeTagTitle',
  delete_contacts: 'deleteTitle',
} as const;
const SUBMITS = {
  add_tag: 'submitAddTag',
  remove_tag: 'submitRemoveTag',
  delete_contacts: 'submitDelete',
} as const;

/**
 * Starts a bulk action on the selected contacts: shows how many it affects and the name it will
 * get (from the server's preview), asks for the tag of tag actions, and for a delete wants the
 * confirmation word typed. Deleting is restorable for RESTORE_WINDOW_DAYS days, which it says.
 */
export function StartBulkActionDialog({
  accountId,
  type,
  selection,
  tags,
  onClose,
  onStarted,
}: {
  accountId: string;
  /** The action to start; null: closed. */
  type: StartableType | null;
  selection: Selection | null;
  tags: readonly Tag[];
  onClose: () => void;
  onStarted: (action: BulkAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const create = useCreateBulkAction(accountId);
  const [tagId, setTagId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [typed, setTyped] = useState('');
  const [tried, setTried] = useState(false);

  const isTagAction = type === 'add_tag' || type === 'remove_tag';
  const body: CreateBulkActionBody | null =
    type && selection && (!isTagAction || tagId)
      ? { type, selection, ...(isTagAction && tagId ? { tagId } : {}) }
      : null;
  const preview = useBulkPreview(accountId, body);
  // Until a tag is chosen the server cannot name the action; the selection's own count stands in.
  const selectionCount = useSelectionPreview(accountId, type && !body ? selection : null);
  const count = preview.data?.count ?? (body ? undefined : selectionCount.data);
  const word = t('contacts.bulk.dialog.confirmWord');
  const confirmed = typed.trim().toLocaleUpperCase(i18n.language) === word;

  const close = () => {
    onClose();
    create.reset();
    setTagId(null);
    setName('');
    setTyped('');
    setTried(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!body || !count) return;
    if (type === 'delete_contacts' && !confirmed) return;
    create.mutate(
      { ...body, ...(name.trim() ? { name: name.trim() } : {}) },
      {
        onSuccess: (action) => {
          close();
          onStarted(action);
        },
      },
    );
  };

  const tagError =
    (tried && isTagAction && !tagId) || fieldIssues(create.error).some((issue) => issue.field === 'tagId')
      ? t('contacts.bulk.dialog.tagRequired')
      : null;
  const n = (value: number) => value.toLocaleString(i18n.language);

  return (
    <Modal
      opened={type !== null}
      onClose={close}
      title={type ? t(`contacts.bulk.dialog.${TITLES[type]}`) : ''}
      size="lg"
    >
      {type && (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group gap="xs" data-testid="bulk-dialog-count" data-count={count}>
              {count === undefined ? (
                <>
                  <Loader size={14} />
                  <Text>{t('contacts.bulk.dialog.counting')}</Text>
                </>
              ) : count === 0 ? (
                <Text>{t('contacts.bulk.dialog.nothing')}</Text>
              ) : (
                <Text fw={600}>{t('contacts.bulk.dialog.count', { count, formatted: n(count) })}</Text>
              )}
            </Group>
            {isTagAction && (
              <Select
                label={t('contacts.bulk.dialog.tag')}
                placeholder={t('contacts.bulk.dialog.chooseTag')}
                data={tags.map((tag) => ({ value: tag.id, label: tag.name }))}
                value={tagId}
                onChange={setTagId}
                searchable
                nothingFoundMessage={t('contacts.form.noTagFound')}
                error={tagError}
                description={tags.length === 0 ? t('contacts.bulk.dialog.noTags') : undefined}
                withAsterisk
                data-autofocus
                data-testid="bulk-dialog-tag"
              />
            )}
            <TextInput
              label={t('contacts.bulk.dialog.name')}
              description={t('contacts.bulk.dialog.nameHint')}
              placeholder={preview.data?.name}
              value={name}
              maxLength={300}
              onChange={(e) => setName(e.currentTarget.value)}
              data-testid="bulk-dialog-name"
            />
            {type === 'delete_contacts' && (
              <>
                <Alert color="red" icon={<IconAlertTriangle />}>
                  {t('contacts.bulk.dialog.deleteWarning', {
                    count: count ?? 0,
                    formatted: n(count ?? 0),
                    days: RESTORE_WINDOW_DAYS,
                  })}
                </Alert>
                <TextInput
                  label={t('contacts.bulk.dialog.confirmLabel', { word })}
                  value={typed}
                  onChange={(e) => setTyped(e.currentTarget.value)}
                  error={tried && !confirmed ? t('contacts.bulk.dialog.confirmMismatch', { word }) : null}
                  autoComplete="off"
                  data-autofocus
                  data-testid="bulk-dialog-confirm-input"
                />
              </>
            )}
            <Text size="sm" c="dimmed">
              {t('contacts.bulk.dialog.frozen')}
            </Text>
            {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />}
            {create.isError && !tagError && <ErrorAlert error={create.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                color={type === 'delete_contacts' ? 'red' : undefined}
                loading={create.isPending}
                disabled={!count || (type === 'delete_contacts' && !confirmed)}
                data-testid="bulk-dialog-submit"
              >
                {t(`contacts.bulk.dialog.${SUBMITS[type]}`)}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
