import { Fieldset, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TYPE_LABELS } from '../../../shared/notification-texts.ts';
import {
  EMAIL_MODES,
  NOTIFICATION_TYPES,
  type EmailMode,
  type EmailPreferences,
  type NotificationType,
} from '../../../shared/notifications.ts';
import { useUiLanguage } from '../notifications/use-render-notification.ts';

/** Per notification type: email all of them, only errors, or none (types not chosen get all). */
export function EmailModesFieldset({
  modes,
  onChange,
  disabled,
}: {
  modes: EmailPreferences['modes'];
  onChange: (type: NotificationType, mode: EmailMode) => void;
  /** The master switch is off: no email at all, whatever is chosen here. */
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const language = useUiLanguage();
  const data = EMAIL_MODES.map((mode) => ({ value: mode, label: t(`settings.emailModes.${mode}`) }));

  return (
    <Fieldset legend={t('settings.emailModes.legend')} disabled={disabled} data-testid="settings-email-modes">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {disabled ? t('settings.emailModes.off') : t('settings.emailModes.hint')}
        </Text>
        {NOTIFICATION_TYPES.map((type) => (
          <Group key={type} justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm">{TYPE_LABELS[language][type]}</Text>
            <SegmentedControl<EmailMode>
              size="xs"
              data={data}
              value={modes[type] ?? 'all'}
              onChange={(mode) => onChange(type, mode)}
              disabled={disabled}
              aria-label={TYPE_LABELS[language][type]}
              data-testid="settings-email-mode"
              data-type={type}
            />
          </Group>
        ))}
      </Stack>
    </Fieldset>
  );
}
