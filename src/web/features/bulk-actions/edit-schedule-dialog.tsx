import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { ControlError, ControlGone } from './control-error.tsx';
import { useEditSchedule } from './use-edit-schedule.ts';

/** A date as the value of a datetime-local input (local time, minutes). */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function suggestedStart(action: BulkAction): string {
  if (action.scheduledFor && Date.parse(action.scheduledFor) > Date.now())
    return localInputValue(new Date(action.scheduledFor));
  const inAnHour = new Date(Date.now() + 60 * 60_000);
  inAnHour.setMinutes(0, 0, 0);
  return localInputValue(inAnHour);
}

/** Moves a queued action to another start time (a local date and time, in the future). */
export function EditScheduleDialog({
  accountId,
  action,
  onClose,
}: {
  accountId: string;
  action: BulkAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const edit = useEditSchedule(accountId);
  const [value, setValue] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const shown = value ?? (action ? suggestedStart(action) : '');
  const gone = action !== null && !action.controls.includes('edit_schedule') && !edit.isPending;

  const close = () => {
    onClose();
    edit.reset();
    setValue(null);
    setInvalid(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!action) return;
    const at = new Date(shown);
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return setInvalid(true);
    setInvalid(false);
    edit.mutate({ actionId: action.id, scheduledFor: at.toISOString() }, { onSuccess: close });
  };

  return (
    <Modal opened={action !== null} onClose={close} title={t('bulkActions.dialogs.edit_schedule.title')}>
      {action && (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text fw={600} size="sm">
              {action.name}
            </Text>
            <Text>{t('bulkActions.dialogs.edit_schedule.text')}</Text>
            <Text size="sm" c="dimmed">
              {action.scheduledFor
                ? t('bulkActions.dialogs.edit_schedule.current', {
                    date: formatDateTime(action.scheduledFor),
                  })
                : t('bulkActions.dialogs.edit_schedule.asap')}
            </Text>
            <TextInput
              type="datetime-local"
              label={t('bulkActions.dialogs.edit_schedule.field')}
              value={shown}
              onChange={(e) => setValue(e.currentTarget.value)}
              error={invalid ? t('bulkActions.dialogs.edit_schedule.past') : null}
              data-autofocus
              data-testid="bulk-schedule-input"
            />
            {gone && !edit.isError && <ControlGone />}
            {edit.isError && <ControlError accountId={accountId} actionId={action.id} error={edit.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('bulkActions.dialogs.keep')}
              </Button>
              <Button type="submit" loading={edit.isPending} disabled={gone} data-testid="bulk-confirm">
                {t('bulkActions.dialogs.edit_schedule.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
