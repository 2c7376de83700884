import { Alert, Button, Checkbox, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { audienceCountSchema, type AudienceCount, type Mailing } from '../../../shared/mailings.ts';
import { fromZonedLocal } from '../../../shared/time-zones.ts';
import { ApiError } from '../../app/api-client.ts';
import { useDisplayTimeZone } from '../../app/use-display-time-zone.ts';
import { DateTimeField } from '../../components/date-field.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useCountOptions } from '../../components/use-format-number.ts';
import { missingFromDetails } from './mailing-form.ts';
import { suggestedSlot } from './schedule-slot.ts';
import { useSavedAudience } from './use-audience-count.ts';
import { useScheduleMailing } from './use-schedule-mailing.ts';

/**
 * "Send now" or "Schedule" for a saved mailing. Shows the count as it is now; an audience of 0
 * needs an explicit tick ("send anyway"). Mounted per opening, so each has its own Idempotency-Key.
 */
export function ScheduleDialog({
  accountId,
  mailing,
  onClose,
  onScheduled,
}: {
  accountId: string;
  /** The mailing to schedule; null: closed. */
  mailing: Mailing | null;
  onClose: () => void;
  onScheduled: (mailing: Mailing) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={mailing !== null} onClose={onClose} title={t('mailings.schedule.title')} size="lg">
      {mailing && (
        <ScheduleForm accountId={accountId} mailing={mailing} onClose={onClose} onScheduled={onScheduled} />
      )}
    </Modal>
  );
}

function ScheduleForm({
  accountId,
  mailing,
  onClose,
  onScheduled,
}: {
  accountId: string;
  mailing: Mailing;
  onClose: () => void;
  onScheduled: (mailing: Mailing) => void;
}) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const timeZone = useDisplayTimeZone();
  const audience = useSavedAudience(accountId, mailing.id, true);
  const schedule = useScheduleMailing(accountId, mailing.id);
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [slot, setSlot] = useState(() => suggestedSlot(mailing.scheduledFor, timeZone, new Date()));
  const [invalid, setInvalid] = useState(false);
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  // The server may count again and find nobody (NO_RECIPIENTS): its count replaces the one shown.
  const refused = schedule.error instanceof ApiError ? schedule.error : null;
  const serverCount =
    refused?.code === 'NO_RECIPIENTS'
      ? audienceCountSchema.safeParse((refused.details as { audience?: unknown } | null)?.audience).data
      : undefined;
  const count: AudienceCount | undefined = serverCount ?? audience.data;
  const empty = count !== undefined && count.recipients === 0;
  const missing = refused?.code === 'MAILING_INCOMPLETE' ? missingFromDetails(refused.details) : [];
  const otherError =
    schedule.error && refused?.code !== 'MAILING_INCOMPLETE' && !serverCount ? schedule.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let scheduledFor: string | undefined;
    if (when === 'later') {
      const at = fromZonedLocal(slot, timeZone);
      if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return setInvalid(true);
      scheduledFor = at.toISOString();
    }
    setInvalid(false);
    schedule.mutate(
      {
        ...(scheduledFor ? { scheduledFor } : {}),
        ...(count ? { expectedCount: count.recipients } : {}),
        ...(empty && confirmEmpty ? { confirmEmpty: true } : {}),
      },
      { onSuccess: onScheduled },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="schedule-dialog">
      <Stack>
        <Text fw={600} size="sm">
          {mailing.name}
        </Text>
        <Text data-testid="schedule-count" data-recipients={count?.recipients}>
          {audience.isPending && !count
            ? t('mailings.schedule.counting')
            : count
              ? t('mailings.schedule.count', countOptions(count.recipients))
              : ''}
        </Text>
        {audience.isError && !count && (
          <ErrorAlert error={audience.error} onRetry={() => void audience.refetch()} />
        )}
        <Radio.Group value={when} onChange={(value) => setWhen(value === 'later' ? 'later' : 'now')}>
          <Stack gap="xs">
            <Radio value="now" label={t('mailings.schedule.now')} data-testid="schedule-now" />
            <Radio value="later" label={t('mailings.schedule.later')} data-testid="schedule-later" />
          </Stack>
        </Radio.Group>
        {when === 'later' && (
          <DateTimeField
            label={t('mailings.schedule.at')}
            description={t('mailings.schedule.zone', { zone: timeZone })}
            value={slot}
            onChange={setSlot}
            error={invalid ? t('mailings.schedule.past') : null}
            data-testid="schedule-at"
          />
        )}
        {empty && (
          <Alert color="orange" icon={<IconAlertTriangle />} data-testid="schedule-empty">
            <Stack gap="xs">
              <Text size="sm">{t('mailings.schedule.empty')}</Text>
              <Checkbox
                label={t('mailings.schedule.confirmEmpty')}
                checked={confirmEmpty}
                onChange={(e) => setConfirmEmpty(e.currentTarget.checked)}
                data-testid="schedule-confirm-empty"
              />
            </Stack>
          </Alert>
        )}
        {missing.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />} data-testid="schedule-incomplete">
            <Stack gap={2}>
              <Text size="sm">{t('mailings.schedule.incomplete')}</Text>
              {missing.map((part) => (
                <Text key={part} size="sm">
                  · {t(`mailings.missing.${part}`)}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        {otherError && <ErrorAlert error={otherError} />}
        <Text size="xs" c="dimmed">
          {t('mailings.schedule.frozen')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            loading={schedule.isPending}
            disabled={!count || (empty && !confirmEmpty)}
            color={empty ? 'orange' : undefined}
            data-testid="schedule-confirm"
          >
            {when === 'now' ? t('mailings.schedule.sendNow') : t('mailings.schedule.schedule')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
