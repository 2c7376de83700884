import { AppShell, Burger, Group, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { AccountSwitcher } from './account-switcher.tsx';
import { AvatarMenu } from './avatar-menu.tsx';
import { MainNav } from './main-nav.tsx';

/** The frame of every logged-in page: header with account switcher and avatar menu, section navbar, page. */
export function AppLayout() {
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
      {/* Inside the router: notifications may link to pages. */}
      <Notifications position="top-right" />
    </AppShell>
  );
}
