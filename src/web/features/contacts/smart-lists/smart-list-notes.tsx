import { Alert, Button, Group, List } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useFormatDateTime } from '../../../components/use-format-date-time.ts';
import { useDismissSmartListNotes } from './use-dismiss-smart-list-notes.ts';

/** What was removed from the applied SmartList because a tag, list or field was deleted, until dismissed. */
export function SmartListNotes({
  accountId,
  smartList,
  canEdit,
}: {
  accountId: string;
  smartList: SmartList;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const dismiss = useDismissSmartListNotes(accountId);
  if (smartList.notes.length === 0) return null;
  return (
    <Alert
      color="yellow"
      icon={<IconInfoCircle />}
      title={t('contacts.smartLists.notesTitle')}
      data-testid="smartlist-notes"
    >
      <List size="sm" spacing={2}>
        {smartList.notes.map((note, i) => (
          <List.Item key={i}>
            {t('contacts.smartLists.note', {
              count: note.removed,
              kind: t(`contacts.smartLists.noteKinds.${note.kind}`),
              name: note.name,
              at: formatDateTime(note.at),
              by: note.by?.name ?? t('contacts.smartLists.noteUnknownUser'),
            })}
          </List.Item>
        ))}
      </List>
      {dismiss.isError && <ErrorAlert error={dismiss.error} />}
      {canEdit && (
        <Group justify="flex-end" mt="xs">
          <Button
            size="compact-sm"
            variant="light"
            color="yellow"
            loading={dismiss.isPending}
            onClick={() => dismiss.mutate(smartList.id)}
            data-testid="smartlist-notes-dismiss"
          >
            {t('contacts.smartLists.dismissNotes')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
