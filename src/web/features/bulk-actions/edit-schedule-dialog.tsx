import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { fromZonedLocal, toZonedLocal } from '../../../shared/time-zones.ts';
import { useDisplayTimeZone } from '../../app/use-display-time-zone.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { ControlError, ControlGone } from './control-error.tsx';
import { useEditSchedule } from './use-edit-schedule.ts';
import { DateTimeField } from '../../components/date-field.tsx';

/** The current schedule, else the next full hour at least an hour away, as wall-clock time in the zone. */
function suggestedStart(action: BulkAction, timeZone: string): string {
  if (action.scheduledFor && Date.parse(action.scheduledFor) > Date.now())
    return toZonedLocal(new Date(action.scheduledFor), timeZone);
  const inAnHour = toZonedLocal(new Date(Date.now() + 60 * 60_000), timeZone);
  return `${inAnHour.slice(0, 14)}00`;
}

/**
 * Moves a queued action to another start time, in the future. The date and time typed are wall-clock
 * time in the user's display zone (theirs, else the account's), sent as an exact instant.
 */
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
  const timeZone = useDisplayTimeZone();
  const edit = useEditSchedule(accountId);
  const [value, setValue] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const shown = value ?? (action ? suggestedStart(action, timeZone) : '');
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
    const at = fromZonedLocal(shown, timeZone);
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
            <DateTimeField
              label={t('bulkActions.dialogs.edit_schedule.field')}
              description={t('bulkActions.dialogs.edit_schedule.zone', { zone: timeZone })}
              value={shown}
              onChange={setValue}
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
