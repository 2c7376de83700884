import { z } from 'zod';
import { idString, safeString } from './primitives.ts';
import { passwordSchema, languageSchema } from './auth.ts';
import { rightSchema, roleSchema } from './rights.ts';

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
});
export type Account = z.infer<typeof accountSchema>;

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
 * Adds a user to the account. An unknown email creates the user with the given password
 * (an invitation with a first password the admin hands over); a known email just gains the membership.
 */
export const addMemberBodySchema = z
  .object({
    email: z.email().max(320),
    name: safeString().trim().min(1).max(200),
    role: roleSchema,
    password: passwordSchema.optional(),
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
