import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Consent } from '../../../shared/contacts.ts';

const COLOR: Record<Consent, string> = { subscribed: 'teal', unsubscribed: 'gray' };

export function ConsentBadge({ consent }: { consent: Consent }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={COLOR[consent]} tt="none" miw="max-content">
      {t(`contacts.consent.${consent}`)}
    </Badge>
  );
}
