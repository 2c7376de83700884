import { AppShell, Burger, Group, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { NotificationStreamProvider } from '../../features/notifications/notification-stream.tsx';
import { AccountSwitcher } from './account-switcher.tsx';
import { AvatarMenu } from './avatar-menu.tsx';
import { MainNav } from './main-nav.tsx';

/** The frame of every logged-in page, with the user's one live notification stream (the unread counts). */
export function AppLayout() {
  return (
    <NotificationStreamProvider>
      <AppFrame />
    </NotificationStreamProvider>
  );
}

/** Header with account switcher and avatar menu, section navbar, page. */
function AppFrame() {
  const { t } = useTranslation();
  const [navbarOpened, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Burger
              opened={navbarOpened}
              onClick={toggleNavbar}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('shell.toggleNavigation')}
            />
            <UnstyledButton component={Link} to="/">
              <Title order={3}>Herald</Title>
            </UnstyledButton>
            <AccountSwitcher />
          </Group>
          <AvatarMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <MainNav onNavigate={closeNavbar} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      {/* Inside the router: notifications may link to pages. Bottom right, below the header's
          avatar and the pages' buttons; a few at a time, and they close by themselves. */}
      <Notifications position="bottom-right" limit={3} autoClose={8_000} />
    </AppShell>
  );
}
