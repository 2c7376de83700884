import type { Right } from '../../shared/rights.ts';

/** The pages of an account, in navigation order; each is /accounts/:accountId/<key>. */
export const ACCOUNT_SECTIONS = [
  'contacts',
  'bulk-actions',
  'templates',
  'imports',
  'mailings',
  'distribution',
  'substitutes',
  'settings',
  'notifications',
] as const;
export type AccountSection = (typeof ACCOUNT_SECTIONS)[number];

/** The sections listed in the navbar; notifications live in the avatar menu instead. */
export const NAVBAR_SECTIONS = [
  'contacts',
  'bulk-actions',
  'templates',
  'imports',
  'mailings',
  'distribution',
  'substitutes',
  'settings',
] as const satisfies readonly AccountSection[];

/**
 * Who may open a section. The server checks every call again; this only keeps out of sight
 * what the user could not use. Sections without a rule yet are open to every member.
 */
export function canOpenSection(section: AccountSection, rights: readonly Right[]): boolean {
  switch (section) {
    case 'contacts':
    case 'bulk-actions':
    case 'templates':
    case 'mailings':
      return rights.includes('contacts.view');
    case 'settings':
      return rights.includes('settings.manage') || rights.includes('users.manage');
    // Distributing into sub-accounts and their substitutes: the agency's business alone.
    case 'distribution':
    case 'substitutes':
      return rights.includes('distribution.manage');
    case 'notifications':
      return rights.includes('notifications.view');
    case 'imports':
      // Uploads need contacts.import; remote sources and the PGP key settings.manage.
      return rights.includes('contacts.import') || rights.includes('settings.manage');
  }
}

export function accountPath(accountId: string, section: AccountSection): string {
  return `/accounts/${accountId}/${section}`;
}

// Contacts are the heart of an account; a role without them (an observer) is there for its notifications.
const LANDING_ORDER: readonly AccountSection[] = ['contacts', 'notifications', ...NAVBAR_SECTIONS];

/** Where an account opens: contacts when the user may see them, else notifications, else the first navbar section. */
export function defaultSection(rights: readonly Right[]): AccountSection {
  return LANDING_ORDER.find((section) => canOpenSection(section, rights)) ?? 'bulk-actions';
}

/** The section of an account page, from its path (`/accounts/7/imports/...` → imports), or null elsewhere. */
export function sectionOfPath(pathname: string): AccountSection | null {
  const segment = /^\/accounts\/[^/]+\/([^/?#]+)/.exec(pathname)?.[1];
  return ACCOUNT_SECTIONS.find((section) => section === segment) ?? null;
}
