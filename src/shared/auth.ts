import { z } from 'zod';
import { safeString } from './primitives.ts';
import { rightSchema, roleSchema } from './rights.ts';
import { timeZoneSchema } from './time-zones.ts';

export const LANGUAGES = ['en', 'de'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const loginBodySchema = z.object({
  email: z.email().max(320),
  password: safeString().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const accountKindSchema = z.enum(['agency', 'sub_account']);

/** An account the current user can act in, with the rights they hold there. */
export const myAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: accountKindSchema,
  parentId: z.string().nullable(),
  role: roleSchema,
  rights: z.array(rightSchema),
  /** The account's IANA time zone: its calendar days, and displayed dates unless the user chose a zone. */
  timeZone: z.string(),
});
export type MyAccount = z.infer<typeof myAccountSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  language: languageSchema.nullable(),
  emailSystemMessages: z.boolean(),
  /** The zone dates are shown in; null shows them in the zone of the account at hand. */
  timeZone: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const meResponseSchema = z.object({
  user: userSchema,
  accounts: z.array(myAccountSchema),
  /** Double-submit token: send it back as the `x-csrf-token` header on state-changing requests. */
  csrfToken: z.string().nullable(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const updateSettingsBodySchema = z
  .object({
    name: safeString().trim().min(1).max(200).optional(),
    language: languageSchema.nullable().optional(),
    emailSystemMessages: z.boolean().optional(),
    timeZone: timeZoneSchema.nullable().optional(),
  })
  .strict();
export type UpdateSettingsBody = z.infer<typeof updateSettingsBodySchema>;

export const PASSWORD_MIN_LENGTH = 10;
export const passwordSchema = safeString().min(PASSWORD_MIN_LENGTH).max(200);

export const changePasswordBodySchema = z
  .object({ currentPassword: safeString().min(1).max(200), newPassword: passwordSchema })
  .strict();
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });

export const createApiTokenBodySchema = z
  .object({
    name: safeString().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type CreateApiTokenBody = z.infer<typeof createApiTokenBodySchema>;

/** The only time the secret is shown: on creation. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
