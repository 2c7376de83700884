import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TargetStatus } from '../../../shared/distribution.ts';
import { TARGET_STATUS_COLORS } from './distribution-logic.ts';

/** A target's status in its colour (written green, unchanged grey, skipped yellow, failed red, pending blue). */
export function TargetStatusBadge({ status, count }: { status: TargetStatus; count?: number }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={TARGET_STATUS_COLORS[status]}
      variant="light"
      tt="none"
      data-testid={count === undefined ? 'target-status' : `count-${status}`}
      data-status={status}
    >
      {t(`distribution.status.${status}`)}
      {count !== undefined && `: ${count}`}
    </Badge>
  );
}
