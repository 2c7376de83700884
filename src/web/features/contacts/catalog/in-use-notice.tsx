import { List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { catalogUsageSchema, type CatalogUsage } from '../../../../shared/references.ts';
import { ApiError } from '../../../app/api-client.ts';

/** The usage a refused delete reports (409 IN_USE), or null when the error is something else. */
export function usageOf(error: unknown): CatalogUsage | null {
  if (!(error instanceof ApiError) || error.code !== 'IN_USE') return null;
  const usage = catalogUsageSchema.safeParse(error.details);
  return usage.success ? usage.data : null;
}

/** True when a delete was refused because an action using the entry is running. */
export function refusedWhileRunning(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CONFLICT' && typeof error.details === 'object';
}

/** What still uses a tag or list, and what happens to each if it is deleted anyway. */
export function InUseNotice({ usage }: { usage: CatalogUsage }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} data-testid="catalog-in-use">
      <Text size="xs" fw={600}>
        {t('contacts.manage.inUse')}
      </Text>
      <List size="xs" spacing={0}>
        {usage.smartLists.map((list) => (
          <List.Item key={`s${list.id}`}>
            {t('contacts.manage.inUseSmartList', { name: list.name })}
          </List.Item>
        ))}
        {usage.bulkActions.map((action) => (
          <List.Item key={`a${action.id}`}>
            {t('contacts.manage.inUseAction', {
              name: action.name,
              status: t(`bulkActions.statuses.${action.status}`),
            })}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
