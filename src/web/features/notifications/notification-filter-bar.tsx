import { Button, Group, MultiSelect, Switch } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TYPE_LABELS } from '../../../shared/notification-texts.ts';
import {
  NOTIFICATION_TYPES,
  SEVERITIES,
  type NotificationType,
  type Severity,
} from '../../../shared/notifications.ts';
import { hasFilters, type NotificationFilters } from './use-notification-filters.ts';
import { useUiLanguage } from './use-render-notification.ts';

/** Unread only, type and severity; every change goes to the URL. */
export function NotificationFilterBar({
  filters,
  onChange,
}: {
  filters: NotificationFilters;
  onChange: (change: Partial<NotificationFilters>) => void;
}) {
  const { t } = useTranslation();
  const language = useUiLanguage();

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <MultiSelect<NotificationType>
        label={t('notifications.filters.type')}
        placeholder={filters.type.length === 0 ? t('notifications.filters.anyType') : undefined}
        data={NOTIFICATION_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[language][type] }))}
        value={filters.type}
        onChange={(values) => onChange({ type: values })}
        clearable
        w={320}
        comboboxProps={{ withinPortal: true }}
        data-testid="notification-filter-type"
      />
      <MultiSelect<Severity>
        label={t('notifications.filters.severity')}
        placeholder={filters.severity.length === 0 ? t('notifications.filters.anySeverity') : undefined}
        data={SEVERITIES.map((severity) => ({
          value: severity,
          label: t(`notifications.severities.${severity}`),
        }))}
        value={filters.severity}
        onChange={(values) => onChange({ severity: values })}
        clearable
        w={240}
        comboboxProps={{ withinPortal: true }}
        data-testid="notification-filter-severity"
      />
      <Switch
        label={t('notifications.filters.unreadOnly')}
        checked={filters.unread}
        onChange={(event) => onChange({ unread: event.currentTarget.checked })}
        mb={8}
        data-testid="notification-filter-unread"
      />
      {hasFilters(filters) && (
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconFilterOff size={16} />}
          onClick={() => onChange({ unread: false, type: [], severity: [] })}
          data-testid="notification-filter-reset"
        >
          {t('notifications.filters.reset')}
        </Button>
      )}
    </Group>
  );
}
