import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Origin } from '../../../shared/distribution.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';

/** "Active" (green) or "Inactive" (grey): an inactive template is not offered for sends, an inactive mailing does not send. */
export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={active ? 'green' : 'gray'}
      tt="none"
      data-testid="active-badge"
      data-active={active}
    >
      {active ? t('distribution.active.active') : t('distribution.active.inactive')}
    </Badge>
  );
}

/**
 * On a distributed copy: "from Nordlicht Agency, version 3", plus "changed here" when it was edited
 * in this account since; the tooltip says when it was distributed. Nothing for own elements.
 */
export function OriginBadge({ origin }: { origin: Origin | null }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  if (!origin) return null;
  const account = origin.accountName;
  return (
    <Group gap={4} data-testid="origin">
      <Tooltip
        label={
          origin.distributedAt
            ? t('distribution.origin.tooltip', { account, date: formatDateTime(origin.distributedAt) })
            : t('distribution.origin.tooltipNoDate', { account })
        }
      >
        <Badge
          variant="outline"
          color="indigo"
          tt="none"
          // In a narrow table cell the whole origin stays readable: the label wraps instead of being cut.
          h="auto"
          styles={{ label: { whiteSpace: 'normal', overflow: 'visible' } }}
          data-testid="origin-badge"
        >
          {origin.version === null
            ? t('distribution.origin.badgeNoVersion', { account })
            : t('distribution.origin.badge', { account, version: origin.version })}
        </Badge>
      </Tooltip>
      {origin.locallyModified && (
        <Badge variant="light" color="yellow" tt="none" data-testid="origin-modified">
          {t('distribution.origin.changedHere')}
        </Badge>
      )}
    </Group>
  );
}
