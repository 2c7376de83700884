import { ThemeIcon } from '@mantine/core';
import {
  IconAlertCircle,
  IconAlertTriangle,
  IconCircleCheck,
  IconInfoCircle,
  type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Severity } from '../../../shared/notifications.ts';

export const SEVERITY_COLORS: Record<Severity, string> = {
  error: 'red',
  warning: 'orange',
  info: 'blue',
  success: 'green',
};

const ICONS: Record<Severity, TablerIcon> = {
  error: IconAlertCircle,
  warning: IconAlertTriangle,
  info: IconInfoCircle,
  success: IconCircleCheck,
};

/** The severity as an icon in its colour; its name is the accessible label. */
export function SeverityIcon({ severity, size = 28 }: { severity: Severity; size?: number }) {
  const { t } = useTranslation();
  const Icon = ICONS[severity];
  return (
    <ThemeIcon
      color={SEVERITY_COLORS[severity]}
      variant="light"
      radius="xl"
      size={size}
      role="img"
      aria-label={t(`notifications.severities.${severity}`)}
      title={t(`notifications.severities.${severity}`)}
      data-testid="notification-severity"
      data-severity={severity}
    >
      <Icon size={size * 0.65} aria-hidden />
    </ThemeIcon>
  );
}
