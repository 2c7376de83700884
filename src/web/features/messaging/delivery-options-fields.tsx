import { Checkbox, Chip, Group, NumberInput, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { DateTimeField } from '../../components/date-field.tsx';
import { WEEKDAYS, suggestedStart, type SendForm, type SendFormProblem } from './send-form.ts';

/** Weekday names in the UI's language, Monday first (2024-01-01 was a Monday). */
function weekdayNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' });
  return WEEKDAYS.map((day) => format.format(new Date(Date.UTC(2024, 0, day))));
}

/**
 * When and how fast: now or later (wall-clock time in the user's display zone), drip mode (batch
 * size, interval, weekdays, time window in the account's zone), and for SMS the quiet hours.
 */
export function DeliveryOptionsFields({
  form,
  change,
  problems,
  displayZone,
  accountZone,
}: {
  form: SendForm;
  change: (change: Partial<SendForm>) => void;
  problems: readonly SendFormProblem[];
  displayZone: string;
  accountZone: string;
}) {
  const { t, i18n } = useTranslation();
  const error = (...which: SendFormProblem[]) => {
    const problem = which.find((p) => problems.includes(p));
    return problem ? t(`messaging.send.problems.${problem}`) : null;
  };
  const names = weekdayNames(i18n.language);

  return (
    <Stack gap="sm">
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('messaging.send.when')}
        </Text>
        <SegmentedControl
          value={form.when}
          onChange={(value) => change({ when: value === 'later' ? 'later' : 'now' })}
          data={[
            { value: 'now', label: t('messaging.send.now') },
            { value: 'later', label: t('messaging.send.later') },
          ]}
          w="fit-content"
          data-testid="send-when"
        />
        {form.when === 'later' && (
          <DateTimeField
            label={t('messaging.send.startAt')}
            description={t('messaging.send.zone', { zone: displayZone })}
            value={form.startAt || suggestedStart(displayZone, new Date())}
            onChange={(startAt) => change({ startAt })}
            error={error('startAt', 'startPast')}
            w={280}
            data-testid="send-start-at"
          />
        )}
      </Stack>
      <Switch
        label={t('messaging.send.drip')}
        description={t('messaging.send.dripHint')}
        checked={form.drip}
        onChange={(e) => change({ drip: e.currentTarget.checked })}
        data-testid="send-drip"
      />
      {form.drip && (
        <Stack gap="sm" pl="lg" data-testid="send-drip-options">
          <Group gap="sm" align="flex-start">
            <NumberInput
              label={t('messaging.send.batchSize')}
              value={form.batchSize}
              onChange={(value) => change({ batchSize: value === '' ? '' : Number(value) })}
              min={1}
              max={1_000_000}
              allowDecimal={false}
              allowNegative={false}
              error={error('batchSize')}
              w={160}
              data-testid="send-batch-size"
            />
            <NumberInput
              label={t('messaging.send.interval')}
              value={form.intervalMinutes}
              onChange={(value) => change({ intervalMinutes: value === '' ? '' : Number(value) })}
              min={1}
              max={10_080}
              allowDecimal={false}
              allowNegative={false}
              error={error('intervalMinutes')}
              w={200}
              data-testid="send-interval"
            />
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('messaging.send.weekdays')}
            </Text>
            <Chip.Group
              multiple
              value={form.weekdays.map(String)}
              onChange={(values) => change({ weekdays: values.map(Number) })}
            >
              <Group gap={6} data-testid="send-weekdays">
                {WEEKDAYS.map((day, index) => (
                  <Chip key={day} value={String(day)} size="xs" data-testid={`send-weekday-${day}`}>
                    {names[index]}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            {error('weekdays') && (
              <Text size="xs" c="red">
                {error('weekdays')}
              </Text>
            )}
          </Stack>
          <Checkbox
            label={t('messaging.send.window')}
            description={t('messaging.send.windowHint', { zone: accountZone })}
            checked={form.windowOn}
            onChange={(e) => change({ windowOn: e.currentTarget.checked })}
            data-testid="send-window"
          />
          {form.windowOn && (
            <Group gap="sm" align="flex-start">
              <TimeInput
                label={t('messaging.send.windowFrom')}
                value={form.windowFrom}
                onChange={(e) => change({ windowFrom: e.currentTarget.value })}
                error={error('window')}
                w={120}
                data-testid="send-window-from"
              />
              <TimeInput
                label={t('messaging.send.windowTo')}
                value={form.windowTo}
                onChange={(e) => change({ windowTo: e.currentTarget.value })}
                w={120}
                data-testid="send-window-to"
              />
            </Group>
          )}
        </Stack>
      )}
      {form.channel === 'sms' && (
        <Switch
          label={t('messaging.send.quietHours')}
          description={t('messaging.send.quietHoursHint', { zone: accountZone })}
          checked={form.quietHours}
          onChange={(e) => change({ quietHours: e.currentTarget.checked })}
          data-testid="send-quiet-hours"
        />
      )}
    </Stack>
  );
}
