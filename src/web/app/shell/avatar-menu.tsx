import { Avatar, Badge, Indicator, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBell, IconLogout, IconMail, IconMailbox, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMyInvitations } from '../../features/invitations/use-my-invitations.ts';
import { useCountOptions } from '../../components/use-format-number.ts';
import { useUnreadCounts } from '../../features/notifications/use-unread-counts.ts';
import { useSession } from '../auth/session-context.ts';
import { useLogout } from '../auth/use-logout.ts';
import { accountPath, canOpenSection } from '../sections.ts';
import { useCurrentAccount } from '../use-current-account.ts';

/** Beyond this the badge shows "99+". */
const BADGE_MAX = 99;

/**
 * The user's initials with their unread notifications (all accounts) as a badge; opens their
 * settings, the current account's notifications (when allowed), the email outbox and logout.
 * The two counts differ on purpose (all accounts vs this one), so each says which it is.
 */
export function AvatarMenu() {
  const { t, i18n } = useTranslation();
  const countOptions = useCountOptions();
  const { user } = useSession();
  const account = useCurrentAccount();
  const logout = useLogout();
  const counts = useUnreadCounts().data;
  const total = counts?.total ?? 0;
  const inAccount = account ? counts?.accounts[account.id] : undefined;
  const invitations = useMyInvitations().data?.length ?? 0;
  const format = (n: number) => (n > BADGE_MAX ? `${BADGE_MAX}+` : n.toLocaleString(i18n.language));

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton
          data-testid="avatar-menu"
          aria-label={
            total > 0
              ? t('shell.userMenuUnread', { count: total, formatted: total.toLocaleString(i18n.language) })
              : t('shell.userMenu')
          }
        >
          <Tooltip
            label={t('shell.unreadAllAccounts', countOptions(total))}
            disabled={total === 0}
            position="bottom-end"
            withArrow
          >
            <Indicator
              label={
                <span
                  data-testid="unread-badge"
                  data-count={total}
                  title={t('shell.unreadAllAccounts', countOptions(total))}
                >
                  {format(total)}
                </span>
              }
              disabled={total === 0}
              color="red"
              size={18}
              offset={4}
            >
              <Avatar name={user.name || user.email} color="initials" />
            </Indicator>
          </Tooltip>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {user.name}
          </Text>
          <Text size="xs" truncate>
            {user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item
          component={Link}
          to="/me/settings"
          leftSection={<IconSettings size={16} />}
          data-testid="menu-settings"
        >
          {t('shell.mySettings')}
        </Menu.Item>
        {account && canOpenSection('notifications', account.rights) && (
          <Menu.Item
            component={Link}
            to={accountPath(account.id, 'notifications')}
            leftSection={<IconBell size={16} />}
            rightSection={
              inAccount ? (
                <Badge
                  size="sm"
                  color="red"
                  circle={inAccount < 10}
                  title={t('shell.unreadThisAccount', countOptions(inAccount))}
                  data-testid="menu-notifications-count"
                >
                  {format(inAccount)}
                </Badge>
              ) : undefined
            }
            data-testid="menu-notifications"
          >
            {t('shell.notifications')}
            {(inAccount ?? 0) > 0 && (
              <Text size="xs" c="dimmed" data-testid="menu-notifications-scope">
                {t('shell.unreadThisAccount', countOptions(inAccount ?? 0))}
              </Text>
            )}
          </Menu.Item>
        )}
        <Menu.Item
          component={Link}
          to="/me/invitations"
          leftSection={<IconMail size={16} />}
          rightSection={
            invitations > 0 ? (
              <Badge size="sm" circle={invitations < 10} data-testid="menu-invitations-count">
                {format(invitations)}
              </Badge>
            ) : undefined
          }
          data-testid="menu-invitations"
        >
          {t('shell.invitations')}
        </Menu.Item>
        <Menu.Item
          component={Link}
          to="/me/outbox"
          leftSection={<IconMailbox size={16} />}
          data-testid="menu-outbox"
        >
          {t('shell.emailOutbox')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
          data-testid="menu-logout"
        >
          {t('shell.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
