import { Badge, Group, Select, Text } from '@mantine/core';
import { IconBuilding, IconCheck, IconCornerDownRight } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useUnreadCounts } from '../../features/notifications/use-unread-counts.ts';
import { useSession } from '../auth/session-context.ts';
import { accountPath, defaultSection, offersSection, sectionOfPath } from '../sections.ts';
import { useCurrentAccount } from '../use-current-account.ts';
import { accountOptions } from './account-options.ts';

/**
 * Picks the account to work in. The account lives in the URL, so switching navigates:
 * to the same section of the other account when the user may open it there, else to its first one.
 * Each option's accessible name is exactly the account name (the indent icon and the unread
 * count are aria-hidden; the avatar's label says the total).
 */
export function AccountSwitcher() {
  const { t, i18n } = useTranslation();
  const { accounts } = useSession();
  const current = useCurrentAccount();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const options = useMemo(() => accountOptions(accounts), [accounts]);
  const depthOf = useMemo(() => new Map(options.map((o) => [o.account.id, o.depth])), [options]);
  const kindOf = useMemo(() => new Map(accounts.map((a) => [a.id, a.kind])), [accounts]);
  const unread = useUnreadCounts().data?.accounts ?? {};

  // On option submit rather than change: picking the shown account from My settings opens it too.
  const switchTo = (accountId: string) => {
    const target = accounts.find((a) => a.id === accountId);
    const section = sectionOfPath(pathname);
    if (!target || (target.id === current?.id && section)) return;
    // A section the target does not offer (e.g. Distribution in a sub-account) opens its default one.
    const next =
      section && offersSection(section, target, accounts) ? section : defaultSection(target.rights);
    void navigate(accountPath(target.id, next));
  };

  return (
    <Select
      data-testid="account-switcher"
      aria-label={t('shell.accountSwitcher')}
      placeholder={t('shell.chooseAccount')}
      data={options.map((o) => ({ value: o.account.id, label: o.account.name }))}
      value={current?.id ?? null}
      onOptionSubmit={switchTo}
      allowDeselect={false}
      searchable={accounts.length > 7}
      nothingFoundMessage={t('shell.noAccountFound')}
      leftSection={<IconBuilding size={16} aria-hidden />}
      w={{ base: 180, sm: 280 }}
      comboboxProps={{ width: 320, position: 'bottom-start' }}
      renderOption={({ option, checked }) => (
        <Group gap={6} wrap="nowrap" pl={(depthOf.get(option.value) ?? 0) * 16} flex={1}>
          {kindOf.get(option.value) === 'sub_account' && <IconCornerDownRight size={14} aria-hidden />}
          <Text size="sm" fw={kindOf.get(option.value) === 'agency' ? 600 : 400} flex={1}>
            {option.label}
          </Text>
          {(unread[option.value] ?? 0) > 0 && (
            <Badge
              size="sm"
              color="red"
              variant="light"
              aria-hidden
              data-testid="account-unread"
              data-account-id={option.value}
            >
              {(unread[option.value] ?? 0).toLocaleString(i18n.language)}
            </Badge>
          )}
          {checked && <IconCheck size={14} aria-hidden />}
        </Group>
      )}
    />
  );
}
