import { ActionIcon, Button, Group, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconPencil, IconTrash, IconX } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api-client.ts';
import { useErrorMessage } from '../../../components/use-error-message.ts';
import { useSubstituteInUseText } from '../../distribution/substitute-usage.ts';
import { InUseNotice, refusedWhileRunning, usageOf } from './in-use-notice.tsx';

interface CatalogRowProps {
  name: string;
  /** Shown before the name (a tag's colour). */
  badge?: ReactNode;
  count: number | undefined;
  countLabel: (count: number) => string;
  maxLength: number;
  rename: {
    run: (name: string, done: () => void) => void;
    pending: boolean;
    error: unknown;
    reset: () => void;
  };
  /** `confirm`: delete also when in use (after the user saw what uses it). */
  remove: { run: (confirm: boolean) => void; pending: boolean; error: unknown; reset: () => void };
  testId: string;
}

/**
 * A tag or subscriber list in its management dialog: rename in place, delete after asking. When it
 * is in use, the first delete answers with what uses it; the row shows that and asks again.
 */
export function CatalogRow({
  name,
  badge,
  count,
  countLabel,
  maxLength,
  rename,
  remove,
  testId,
}: CatalogRowProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editing === null || !editing.trim()) return;
    if (editing.trim() === name) return setEditing(null);
    rename.run(editing.trim(), () => setEditing(null));
  };
  const cancel = () => {
    setEditing(null);
    rename.reset();
  };
  const usage = usageOf(remove.error);
  // A list that stands in for an agency's list in distributions: said, then deletable anyway.
  const substituteText = useSubstituteInUseText()(name, remove.error);
  const anyway = usage !== null || substituteText !== null;
  const renameError =
    rename.error instanceof ApiError && rename.error.status === 409
      ? t('contacts.manage.nameTaken')
      : rename.error
        ? errorMessage(rename.error)
        : null;

  return (
    <Table.Tr data-testid={testId}>
      <Table.Td>
        {editing === null ? (
          <Group gap="xs" wrap="nowrap">
            {badge}
            <Text size="sm">{name}</Text>
          </Group>
        ) : (
          <form onSubmit={submit} noValidate>
            <Group gap={4} wrap="nowrap">
              <TextInput
                size="xs"
                value={editing}
                maxLength={maxLength}
                onChange={(e) => setEditing(e.currentTarget.value)}
                error={renameError}
                aria-label={t('contacts.manage.name')}
                autoFocus
                data-testid={`${testId}-name`}
              />
              <ActionIcon
                type="submit"
                variant="light"
                loading={rename.pending}
                aria-label={t('common.save')}
              >
                <IconCheck size={14} />
              </ActionIcon>
              <ActionIcon variant="subtle" color="gray" onClick={cancel} aria-label={t('common.cancel')}>
                <IconX size={14} />
              </ActionIcon>
            </Group>
          </form>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {count === undefined ? '' : countLabel(count)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {confirming ? (
          <Stack gap={4} align="flex-end">
            {usage && <InUseNotice usage={usage} />}
            <Group gap={4} justify="flex-end" wrap="nowrap">
              {!usage && (
                <Text
                  size="xs"
                  c={remove.error ? 'red' : undefined}
                  maw={360}
                  data-testid={`${testId}-delete-note`}
                >
                  {substituteText ??
                    (refusedWhileRunning(remove.error)
                      ? t('contacts.manage.inUseRunning')
                      : remove.error
                        ? errorMessage(remove.error)
                        : t('contacts.manage.confirmDelete'))}
                </Text>
              )}
              <Button
                size="compact-xs"
                color="red"
                loading={remove.pending}
                onClick={() => remove.run(anyway)}
                data-testid={`${testId}-delete-confirm`}
              >
                {anyway ? t('contacts.manage.deleteAnyway') : t('common.delete')}
              </Button>
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => {
                  setConfirming(false);
                  remove.reset();
                }}
              >
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <Tooltip label={t('contacts.manage.rename')}>
              <ActionIcon
                variant="subtle"
                onClick={() => setEditing(name)}
                aria-label={t('contacts.manage.renameNamed', { name })}
              >
                <IconPencil size={14} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('common.delete')}>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => setConfirming(true)}
                aria-label={t('contacts.manage.deleteNamed', { name })}
                data-testid={`${testId}-delete`}
              >
                <IconTrash size={14} />
              </ActionIcon>
            </Tooltip>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
