import type { MyAccount } from '../../shared/auth.ts';
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

/** Sections about the account's sub-accounts: empty pages in an account without any. */
const SUB_ACCOUNT_SECTIONS: ReadonlySet<AccountSection> = new Set(['distribution', 'substitutes']);

/**
 * True when another of the user's accounts lies below `accountId`: a sub-account, or one further
 * down through accounts the user also sees (a parent the user cannot see ends the chain).
 */
export function hasVisibleDescendant(
  accountId: string,
  accounts: readonly Pick<MyAccount, 'id' | 'parentId'>[],
): boolean {
  const parentOf = new Map(accounts.map((a) => [a.id, a.parentId]));
  return accounts.some((a) => {
    // Bounded by the number of accounts: a malformed cycle cannot loop forever.
    let parent = a.parentId;
    for (let step = 0; parent !== null && step < accounts.length; step++) {
      if (parent === accountId) return a.id !== accountId;
      parent = parentOf.get(parent) ?? null;
    }
    return false;
  });
}

/**
 * Whether the navigation offers a section in `account`: the user's rights there allow it
 * (`canOpenSection`) and, for Distribution and Substitutes, the account has a sub-account the user
 * can see (like the "Distribute" action). A deep link still opens the page; the server decides.
 */
export function offersSection(
  section: AccountSection,
  account: { id: string; rights: readonly Right[] },
  accounts: readonly Pick<MyAccount, 'id' | 'parentId'>[],
): boolean {
  if (!canOpenSection(section, account.rights)) return false;
  return !SUB_ACCOUNT_SECTIONS.has(section) || hasVisibleDescendant(account.id, accounts);
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
