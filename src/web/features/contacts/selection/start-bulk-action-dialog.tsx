import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RESTORE_WINDOW_DAYS,
  type BulkAction,
  type CreateBulkActionBody,
  type StartableType,
} from '../../../../shared/bulk-actions.ts';
import type { Selection, Tag } from '../../../../shared/contacts.ts';
import { fromZonedLocal, toZonedLocal } from '../../../../shared/time-zones.ts';
import { useDisplayTimeZone } from '../../../app/use-display-time-zone.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { fieldIssues } from '../../../components/invalid-fields.ts';
import { useCountOptions } from '../../../components/use-format-number.ts';
import { useCreateTag } from '../catalog/use-create-tag.ts';
import { useBulkPreview } from '../../bulk-actions/use-bulk-preview.ts';
import { useCreateBulkAction } from '../../bulk-actions/use-create-bulk-action.ts';
import { useSelectionPreview } from './use-selection-preview.ts';
import { DateTimeField } from '../../../components/date-field.tsx';

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
 * The next full hour, at least half an hour away, as wall-clock time in the display zone (a
 * datetime-local input's value): a sensible first "run later" time.
 */
function suggestedStart(timeZone: string): string {
  return `${toZonedLocal(new Date(Date.now() + 90 * 60_000), timeZone).slice(0, 14)}00`;
}

/**
 * True when `typed` is the confirmation word exactly: case-sensitive ("delete" is not "DELETE"),
 * only surrounding blanks (from pasting) are forgiven.
 */
export function confirmsWith(typed: string, word: string): boolean {
  return typed.trim() === word;
}

/**
 * Starts a bulk action on the selected contacts: shows how many it affects and the name it will
 * get (from the server's preview), asks for the tag of tag actions (adding a tag can create it),
 * runs now or at a chosen time, and for a delete wants the confirmation word typed exactly.
 * Deleting is restorable for RESTORE_WINDOW_DAYS days, which it says.
 */
export function StartBulkActionDialog({
  accountId,
  type,
  selection,
  tags,
  canCreateTag,
  onClose,
  onStarted,
}: {
  accountId: string;
  /** The action to start; null: closed. */
  type: StartableType | null;
  selection: Selection | null;
  tags: readonly Tag[];
  /** The user may create tags (contacts.edit): the add-tag search then offers "Create tag …". */
  canCreateTag: boolean;
  onClose: () => void;
  onStarted: (action: BulkAction) => void;
}) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const create = useCreateBulkAction(accountId);
  const timeZone = useDisplayTimeZone();
  const createTag = useCreateTag(accountId);
  const [tagId, setTagId] = useState<string | null>(null);
  const [tagSearch, setTagSearch] = useState('');
  // What was last typed into the tag search: the Select clears its search when it loses focus,
  // and the "Create tag" button beside it must still know the name.
  const [typedName, setTypedName] = useState('');
  // Tags made here, until the catalogue's refetch lists them too.
  const [madeTags, setMadeTags] = useState<Tag[]>([]);
  const [name, setName] = useState('');
  const [typed, setTyped] = useState('');
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [startAt, setStartAt] = useState('');
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
  const confirmed = confirmsWith(typed, word);
  // The typed time is wall-clock time in the user's display zone (theirs, else the account's).
  const startTime = when === 'later' ? fromZonedLocal(startAt || suggestedStart(timeZone), timeZone) : null;
  const startInvalid =
    startTime !== null && (Number.isNaN(startTime.getTime()) || startTime.getTime() <= Date.now());

  const allTags = [...tags, ...madeTags.filter((made) => !tags.some((tag) => tag.id === made.id))];
  const newTagName = typedName;
  const offerCreate =
    type === 'add_tag' &&
    canCreateTag &&
    tagId === null &&
    newTagName !== '' &&
    !allTags.some((tag) => tag.name.toLocaleLowerCase() === newTagName.toLocaleLowerCase());
  const tagOptions = allTags.map((tag) => ({ value: tag.id, label: tag.name }));
  const createTypedTag = () => {
    createTag.mutate(
      { name: newTagName, color: null },
      {
        onSuccess: (tag) => {
          setMadeTags((made) => [...made, tag]);
          setTagId(tag.id);
          setTagSearch(tag.name);
        },
      },
    );
  };

  const close = () => {
    onClose();
    create.reset();
    createTag.reset();
    setTagId(null);
    setTagSearch('');
    setTypedName('');
    setName('');
    setTyped('');
    setWhen('now');
    setStartAt('');
    setTried(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!body || !count) return;
    if (type === 'delete_contacts' && !confirmed) return;
    if (startInvalid) return;
    create.mutate(
      {
        ...body,
        // The count the user confirmed: the action shows it as its total while it is prepared.
        expectedCount: count,
        ...(name.trim() ? { name: name.trim() } : {}),
        // An instant: the server needs no idea of the user's time zone.
        ...(startTime ? { scheduledFor: startTime.toISOString() } : {}),
      },
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
                <Text fw={600}>{t('contacts.bulk.dialog.count', countOptions(count))}</Text>
              )}
            </Group>
            {isTagAction && (
              <Select
                label={t('contacts.bulk.dialog.tag')}
                placeholder={t('contacts.bulk.dialog.chooseTag')}
                data={tagOptions}
                value={tagId}
                onChange={setTagId}
                searchable
                searchValue={tagSearch}
                onSearchChange={(search) => {
                  setTagSearch(search);
                  if (search.trim()) setTypedName(search.trim());
                }}
                // With the "Create tag" button offered below, no empty dropdown covers it.
                nothingFoundMessage={offerCreate ? undefined : t('contacts.form.noTagFound')}
                error={tagError}
                description={
                  allTags.length > 0
                    ? undefined
                    : type === 'add_tag' && canCreateTag
                      ? t('contacts.bulk.dialog.noTagsCreate')
                      : t('contacts.bulk.dialog.noTags')
                }
                withAsterisk
                data-autofocus
                data-testid="bulk-dialog-tag"
              />
            )}
            {offerCreate && (
              <Button
                variant="light"
                leftSection={<IconPlus size={16} />}
                onClick={createTypedTag}
                // Keeps the focus (and the typed search) in the tag field while clicking.
                onMouseDown={(event) => event.preventDefault()}
                loading={createTag.isPending}
                w="fit-content"
                data-testid="bulk-dialog-create-tag"
              >
                {t('contacts.bulk.dialog.createTag', { name: newTagName })}
              </Button>
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
                    ...countOptions(count ?? 0),
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
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                {t('contacts.bulk.dialog.when')}
              </Text>
              <SegmentedControl
                value={when}
                onChange={(value) => setWhen(value === 'later' ? 'later' : 'now')}
                data={[
                  { value: 'now', label: t('contacts.bulk.dialog.runNow') },
                  { value: 'later', label: t('contacts.bulk.dialog.runLater') },
                ]}
                w="fit-content"
                data-testid="bulk-dialog-when"
              />
              {when === 'later' && (
                <DateTimeField
                  label={t('contacts.bulk.dialog.startAt')}
                  value={startAt || suggestedStart(timeZone)}
                  onChange={setStartAt}
                  error={tried && startInvalid ? t('contacts.bulk.dialog.startPast') : null}
                  w={260}
                  data-testid="bulk-dialog-start-at"
                />
              )}
            </Stack>
            <Text size="sm" c="dimmed">
              {t('contacts.bulk.dialog.frozen')}
            </Text>
            {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />}
            {createTag.isError && <ErrorAlert error={createTag.error} />}
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
