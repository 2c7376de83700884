import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Mailing } from '../../../shared/mailings.ts';
import { MAILING_STATUS_COLORS } from './mailing-status.ts';

/** The status of a mailing in words and its colour ("held" for a scheduled one paused before its slot). */
export function MailingStatusBadge({ mailing }: { mailing: Pick<Mailing, 'status' | 'held'> }) {
  const { t } = useTranslation();
  const held = mailing.status === 'scheduled' && mailing.held;
  return (
    <Badge
      variant="light"
      color={held ? MAILING_STATUS_COLORS.paused : MAILING_STATUS_COLORS[mailing.status]}
      tt="none"
      data-testid="mailing-status"
      data-status={mailing.status}
    >
      {held ? t('mailings.status.held') : t(`mailings.status.${mailing.status}`)}
    </Badge>
  );
}
