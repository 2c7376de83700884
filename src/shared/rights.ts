import { z } from 'zod';

/** Every named right a membership can hold. Routes declare which one they need. */
export const RIGHTS = [
  'contacts.view',
  'contacts.edit',
  'contacts.import',
  'contacts.bulk',
  'contacts.delete',
  'contacts.restore',
  'messaging.send',
  'mailings.manage',
  'distribution.manage',
  'notifications.view',
  'settings.manage',
  'users.manage',
] as const;

export const rightSchema = z.enum(RIGHTS);
export type Right = z.infer<typeof rightSchema>;

/** Roles are named bundles of rights; a membership (user × account) holds one role. */
export const ROLES = {
  owner: [...RIGHTS],
  admin: RIGHTS.filter((r) => r !== 'distribution.manage'),
  marketer: [
    'contacts.view',
    'contacts.edit',
    'contacts.import',
    'contacts.bulk',
    'messaging.send',
    'mailings.manage',
    'notifications.view',
  ],
  analyst: ['contacts.view', 'notifications.view'],
  /** Receives the account's system messages and nothing else (e.g. an agency's on-call contact). */
  observer: ['notifications.view'],
  viewer: ['contacts.view'],
} as const satisfies Record<string, readonly Right[]>;

export const ROLE_NAMES = Object.keys(ROLES) as [keyof typeof ROLES, ...(keyof typeof ROLES)[]];
export const roleSchema = z.enum(ROLE_NAMES);
export type Role = z.infer<typeof roleSchema>;

export function rightsOfRole(role: Role): readonly Right[] {
  return ROLES[role];
}
