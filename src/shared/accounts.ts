import { z } from 'zod';
import { idString, safeString } from './primitives.ts';
import { languageSchema } from './auth.ts';
import { rightSchema, roleSchema } from './rights.ts';
import { timeZoneSchema } from './time-zones.ts';

/** Path parameters of every account-scoped route: /api/accounts/:accountId/... */
export const accountParamsSchema = z.object({
  accountId: idString(),
});
export type AccountParams = z.infer<typeof accountParamsSchema>;

export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['agency', 'sub_account']),
  parentId: z.string().nullable(),
  createdAt: z.string(),
  /** IANA zone in which the account's calendar days (filters, date ranges, schedules) are read. */
  timeZone: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

/** The account's general settings (right `settings.manage`). */
export const updateAccountBodySchema = z.object({ timeZone: timeZoneSchema }).strict();
export type UpdateAccountBody = z.infer<typeof updateAccountBodySchema>;

/** A member of an account, as shown in user management. */
export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  rights: z.array(rightSchema),
  createdAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;

export const memberListSchema = z.object({ items: z.array(memberSchema) });

/**
 * Invites someone to the account by email. Known and unknown addresses get the same answer (a
 * pending invitation); the invitee accepts it, and a new user sets their own name and password then.
 * `name` is accepted for older clients and ignored: nobody names another person's login.
 */
export const addMemberBodySchema = z
  .object({
    email: z.email().max(320),
    name: safeString().trim().min(1).max(200).optional(),
    role: roleSchema,
    /** Language of the invitation email; default: the inviter's. */
    language: languageSchema.optional(),
  })
  .strict();
export type AddMemberBody = z.infer<typeof addMemberBodySchema>;

export const memberParamsSchema = accountParamsSchema.extend({
  userId: idString(),
});

export const updateMemberBodySchema = z.object({ role: roleSchema }).strict();
export type UpdateMemberBody = z.infer<typeof updateMemberBodySchema>;

export const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['up', 'down']) });
export type Health = z.infer<typeof healthSchema>;
