import { NavLink, Stack } from '@mantine/core';
import {
  IconAddressBook,
  IconArrowsSplit,
  IconFileImport,
  IconMail,
  IconSettings,
  IconStack2,
  IconTemplate,
  IconReplace,
  type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useOptionalSession } from '../auth/session-context.ts';
import { accountPath, NAVBAR_SECTIONS, offersSection, sectionOfPath } from '../sections.ts';
import { useCurrentAccount } from '../use-current-account.ts';

// A section's navbar label; a feature that keeps its texts in its own namespace names its key here.
const LABELS: Partial<Record<(typeof NAVBAR_SECTIONS)[number], 'templates.nav'>> = {
  templates: 'templates.nav',
};

const ICONS: Record<(typeof NAVBAR_SECTIONS)[number], TablerIcon> = {
  contacts: IconAddressBook,
  'bulk-actions': IconStack2,
  templates: IconTemplate,
  imports: IconFileImport,
  mailings: IconMail,
  distribution: IconArrowsSplit,
  substitutes: IconReplace,
  settings: IconSettings,
};

/**
 * The current account's sections, without those the user's rights there do not cover, and without
 * Distribution and Substitutes in an account with no sub-account the user can see.
 */
export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const account = useCurrentAccount();
  const accounts = useOptionalSession()?.accounts ?? [];
  const active = sectionOfPath(useLocation().pathname);
  if (!account) return null;

  return (
    <Stack gap={4} component="nav" aria-label={t('shell.mainNavigation')}>
      {NAVBAR_SECTIONS.filter((section) => offersSection(section, account, accounts)).map((section) => {
        const Icon = ICONS[section];
        return (
          <NavLink
            key={section}
            component={Link}
            to={accountPath(account.id, section)}
            label={t(LABELS[section] ?? `nav.${section as Exclude<typeof section, 'templates'>}`)}
            leftSection={<Icon size={18} stroke={1.6} />}
            active={active === section}
            aria-current={active === section ? 'page' : undefined}
            onClick={onNavigate}
            data-testid={`nav-${section}`}
          />
        );
      })}
    </Stack>
  );
}
