import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OutboxEmail } from '../../../shared/notifications.ts';

const COLORS: Record<OutboxEmail['status'], string> = {
  pending: 'gray',
  queued: 'gray',
  sending: 'blue',
  retrying: 'orange',
  sent: 'green',
  outboxed: 'indigo',
  failed: 'red',
};

/** Where an email stands, in its colour. */
export function EmailStatusBadge({ status }: { status: OutboxEmail['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light" tt="none" data-testid="outbox-status" data-status={status}>
      {t(`outbox.statuses.${status}`)}
    </Badge>
  );
}
