import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { passwordSchema } from './auth.ts';
import { roleSchema } from './rights.ts';

/** Days an invitation stays valid. */
export const INVITATION_DAYS = 7;

const idParam = z.string().regex(/^\d{1,15}$/, 'must be a numeric id');

/**
 * A pending invitation as its account's managers see it. It says only what the inviter typed
 * (email, role): never whether the address belongs to a Herald user, nor that user's name.
 */
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  /** Whether the email went out: sent (SMTP), outboxed (kept locally), failed (invite again to retry). */
  emailStatus: z.enum(['pending', 'sent', 'outboxed', 'failed']),
  /**
   * Only in the answer to an invite when Herald has no SMTP server (the email stays local): the
   * link for the inviter to hand over, shown this once (only its hash is stored). Given for every
   * address alike, so it reveals nothing about who has a login.
   */
  link: z.string().optional(),
});
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationListSchema = z.object({ items: z.array(invitationSchema) });

export const invitationParamsSchema = accountParamsSchema.extend({ invitationId: idParam });
export const myInvitationParamsSchema = z.object({ invitationId: idParam });

/** An invitation addressed to the current user, as they see it (on /me/invitations). */
export const myInvitationSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  role: roleSchema,
  invitedBy: z.string().nullable(),
  expiresAt: z.string(),
});
export type MyInvitation = z.infer<typeof myInvitationSchema>;
export const myInvitationListSchema = z.object({ items: z.array(myInvitationSchema) });

/** The secret from the invitation link (`/invitation?token=…`). */
export const invitationTokenSchema = z
  .string()
  .min(20)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'not an invitation token');

export const invitationLookupBodySchema = z.object({ token: invitationTokenSchema }).strict();

/**
 * What the link's holder learns: the invitation itself, and whether the address already has a
 * Herald login (then they log in and accept; else they create it here).
 */
export const invitationLookupSchema = z.object({
  email: z.string(),
  accountName: z.string(),
  role: roleSchema,
  expiresAt: z.string(),
  hasLogin: z.boolean(),
});
export type InvitationLookup = z.infer<typeof invitationLookupSchema>;

/** Accepting by link as a new user: they choose their own name and password. */
export const acceptInvitationBodySchema = z
  .object({
    token: invitationTokenSchema,
    name: z.string().trim().min(1).max(200),
    password: passwordSchema,
  })
  .strict();
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;

export const acceptedInvitationSchema = z.object({ email: z.string(), accountId: z.string() });
export type AcceptedInvitation = z.infer<typeof acceptedInvitationSchema>;
