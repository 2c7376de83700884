import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Mailing } from '../../../shared/mailings.ts';
import { fromZonedLocal } from '../../../shared/time-zones.ts';
import { useDisplayTimeZone } from '../../app/use-display-time-zone.ts';
import { DateTimeField } from '../../components/date-field.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { allowedControls, type MailingControl } from './mailing-status.ts';
import { suggestedSlot } from './schedule-slot.ts';
import { useMailingControl } from './use-mailing-control.ts';

/** The control a dialog asks about, and the mailing as the page last saw it. */
export interface ControlTarget {
  control: MailingControl;
  mailing: Mailing;
}

/**
 * Asks before pause, resume and cancel (saying what happens to what is sent already), and takes
 * the new slot for a reschedule: wall-clock time in the user's display zone, sent as an instant.
 */
export function MailingControlDialog({
  accountId,
  target,
  onClose,
}: {
  accountId: string;
  target: ControlTarget | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const timeZone = useDisplayTimeZone();
  const run = useMailingControl(accountId);
  const [slot, setSlot] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const control = target?.control;
  const shown = slot ?? (target ? suggestedSlot(target.mailing.scheduledFor, timeZone, new Date()) : '');
  // The mailing moved on since the page loaded it (its send started, someone else cancelled it).
  const gone = target !== null && !allowedControls(target.mailing).includes(target.control) && !run.isPending;

  const close = () => {
    onClose();
    run.reset();
    setSlot(null);
    setInvalid(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    let scheduledFor: string | undefined;
    if (target.control === 'reschedule') {
      const at = fromZonedLocal(shown, timeZone);
      if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return setInvalid(true);
      setInvalid(false);
      scheduledFor = at.toISOString();
    }
    run.mutate({ mailingId: target.mailing.id, control: target.control, scheduledFor }, { onSuccess: close });
  };

  return (
    <Modal
      opened={target !== null}
      onClose={close}
      title={control ? t(`mailings.controls.${control}.title`) : ''}
      data-testid="mailing-control-dialog"
    >
      {target && (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text fw={600} size="sm">
              {target.mailing.name}
            </Text>
            <Text>{t(`mailings.controls.${target.control}.text`)}</Text>
            {target.control === 'reschedule' && (
              <>
                <Text size="sm" c="dimmed">
                  {target.mailing.scheduledFor
                    ? t('mailings.controls.reschedule.current', {
                        date: formatDateTime(target.mailing.scheduledFor),
                      })
                    : t('mailings.controls.reschedule.now')}
                </Text>
                <DateTimeField
                  label={t('mailings.schedule.at')}
                  description={t('mailings.schedule.zone', { zone: timeZone })}
                  value={shown}
                  onChange={setSlot}
                  error={invalid ? t('mailings.schedule.past') : null}
                  data-autofocus
                  data-testid="schedule-at"
                />
              </>
            )}
            {gone && !run.isError && (
              <Text c="orange" size="sm" data-testid="mailing-control-gone">
                {t('mailings.controls.gone')}
              </Text>
            )}
            {run.isError && <ErrorAlert error={run.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('mailings.controls.keep')}
              </Button>
              <Button
                type="submit"
                color={target.control === 'cancel' ? 'red' : undefined}
                loading={run.isPending}
                disabled={gone}
                data-testid="mailing-control-confirm"
              >
                {t(`mailings.controls.${target.control}.submit`)}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
