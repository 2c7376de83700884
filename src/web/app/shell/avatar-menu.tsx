import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconBell, IconLogout, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/session-context.ts';
import { useLogout } from '../auth/use-logout.ts';
import { accountPath, canOpenSection } from '../sections.ts';
import { useCurrentAccount } from '../use-current-account.ts';

/** The user's initials; opens their settings, the current account's notifications (when allowed) and logout. */
export function AvatarMenu() {
  const { t } = useTranslation();
  const { user } = useSession();
  const account = useCurrentAccount();
  const logout = useLogout();

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="avatar-menu" aria-label={t('shell.userMenu')}>
          <Avatar name={user.name || user.email} color="initials" />
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
            data-testid="menu-notifications"
          >
            {t('shell.notifications')}
          </Menu.Item>
        )}
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
