import {
  Alert,
  Button,
  Center,
  Checkbox,
  Divider,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { MessagingSendBody } from '../../../shared/bulk-messaging.ts';
import type { Selection } from '../../../shared/contacts.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { useDisplayTimeZone } from '../../app/use-display-time-zone.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useCountOptions } from '../../components/use-format-number.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { DeliveryOptionsFields } from './delivery-options-fields.tsx';
import { MessageContentFields } from './message-content-fields.tsx';
import {
  confirmedBody,
  emptySendForm,
  sendBodyOf,
  type SendForm,
  type SendFormProblem,
} from './send-form.ts';
import { SendPreview } from './send-preview.tsx';
import { useMessagingPreview } from './use-messaging-preview.ts';
import { useStartSend } from './use-start-send.ts';

/**
 * "Send email" / "Send SMS" from Contacts: compose (template or inline content, sender, schedule,
 * drip, quiet hours), then a preview from the server (count, sendable, skipped by reason, missing
 * merge fields, SMS cost), then confirm with the count. A selection nobody can receive needs an
 * explicit confirmation. Mounted per opening (see `SendMessageDialog`), so each has its own
 * Idempotency-Key.
 */
export function SendMessageDialog({
  accountId,
  accountZone,
  channel,
  selection,
  onClose,
  onStarted,
}: {
  accountId: string;
  /** The account's time zone (drip windows and quiet hours are read in it). */
  accountZone: string;
  /** The channel to send on; null: closed. */
  channel: Channel | null;
  selection: Selection | null;
  onClose: () => void;
  onStarted: (action: BulkAction) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={channel !== null}
      onClose={onClose}
      title={channel === 'sms' ? t('messaging.send.titleSms') : t('messaging.send.titleEmail')}
      size="xl"
      data-testid="send-dialog"
    >
      {channel && selection && (
        <SendMessageForm
          accountId={accountId}
          accountZone={accountZone}
          channel={channel}
          selection={selection}
          onClose={onClose}
          onStarted={onStarted}
        />
      )}
    </Modal>
  );
}

function SendMessageForm({
  accountId,
  accountZone,
  channel,
  selection,
  onClose,
  onStarted,
}: {
  accountId: string;
  accountZone: string;
  channel: Channel;
  selection: Selection;
  onClose: () => void;
  onStarted: (action: BulkAction) => void;
}) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const formatDateTime = useFormatDateTime();
  const displayZone = useDisplayTimeZone();
  const start = useStartSend(accountId);
  const [form, setForm] = useState<SendForm>(() => emptySendForm(channel));
  // Problems show once the user tried to go on, and then follow every change.
  const [tried, setTried] = useState(false);
  // The body being previewed: set by "Preview", cleared by "Back" (the form may change then).
  const [previewed, setPreviewed] = useState<MessagingSendBody | null>(null);
  const [startEmpty, setStartEmpty] = useState(false);
  const preview = useMessagingPreview(accountId, previewed);

  const change = (next: Partial<SendForm>) => setForm((current) => ({ ...current, ...next }));
  const problems: readonly SendFormProblem[] = tried
    ? sendBodyOf(form, selection, { timeZone: displayZone, now: new Date() }).problems
    : [];

  const review = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const result = sendBodyOf(form, selection, { timeZone: displayZone, now: new Date() });
    if (result.body) {
      setStartEmpty(false);
      setPreviewed(result.body);
    }
  };

  const back = () => {
    setPreviewed(null);
    start.reset();
  };

  const confirm = () => {
    if (!previewed || !preview.data) return;
    const body = confirmedBody(previewed, preview.data, startEmpty);
    if (!body) return;
    start.mutate(body, {
      onSuccess: (action) => {
        onClose();
        onStarted(action);
      },
    });
  };

  if (previewed) {
    const data = preview.data;
    const nobody = data !== undefined && data.sendable === 0;
    return (
      <Stack data-testid="send-review">
        {preview.isPending && (
          <Center p="lg">
            <Loader size="sm" />
            <Text ml="sm">{t('messaging.send.previewing')}</Text>
          </Center>
        )}
        {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />}
        {data && <SendPreview preview={data} />}
        {previewed.scheduledFor && (
          <Text size="sm" data-testid="send-review-schedule">
            {t('messaging.send.scheduledFor', { date: formatDateTime(previewed.scheduledFor) })}
          </Text>
        )}
        {previewed.drip && (
          <Text size="sm" c="dimmed">
            {t('messaging.send.dripSummary', {
              batch: previewed.drip.batchSize,
              minutes: previewed.drip.intervalMinutes,
            })}
          </Text>
        )}
        {nobody && (
          <Alert color="orange" icon={<IconAlertTriangle />} data-testid="send-nobody">
            <Stack gap="xs">
              <Text size="sm">{t('messaging.send.nobody')}</Text>
              <Checkbox
                label={t('messaging.send.startEmpty')}
                checked={startEmpty}
                onChange={(e) => setStartEmpty(e.currentTarget.checked)}
                data-testid="send-start-empty"
              />
            </Stack>
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          {t('messaging.send.frozen')}
        </Text>
        {start.isError && <ErrorAlert error={start.error} />}
        <Group justify="space-between">
          <Button variant="default" onClick={back} data-testid="send-back">
            {t('messaging.send.back')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              onClick={confirm}
              loading={start.isPending}
              disabled={!data || (nobody && !startEmpty)}
              color={nobody ? 'orange' : undefined}
              data-testid="send-confirm"
            >
              {!data
                ? t('messaging.send.confirmPlain')
                : nobody
                  ? t('messaging.send.confirmEmpty')
                  : previewed.scheduledFor
                    ? t('messaging.send.confirmLater', countOptions(data.sendable))
                    : t('messaging.send.confirmNow', countOptions(data.sendable))}
            </Button>
          </Group>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={review} noValidate>
      <Stack>
        <MessageContentFields accountId={accountId} form={form} change={change} problems={problems} />
        <TextInput
          label={t('messaging.send.name')}
          description={t('messaging.send.nameHint')}
          value={form.name}
          maxLength={300}
          onChange={(e) => change({ name: e.currentTarget.value })}
          data-testid="send-name"
        />
        <Divider />
        <DeliveryOptionsFields
          form={form}
          change={change}
          problems={problems}
          displayZone={displayZone}
          accountZone={accountZone}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" data-testid="send-preview-button">
            {t('messaging.send.preview')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
