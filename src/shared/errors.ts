import { z } from 'zod';

/**
 * Stable error codes and the HTTP status each maps to. The web UI translates codes,
 * never messages, so a code once published keeps its meaning.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  /** A saved SmartList's filter no longer passes validation (details: smartListId, fields). */
  SMART_LIST_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  /** The change would leave an account without an owner. */
  LAST_OWNER: 409,
  /** The invitee already is a member of the account (change their role instead). */
  ALREADY_MEMBER: 409,
  /** An invitation link that is unknown, used, revoked or expired. */
  INVITATION_INVALID: 404,
  /** The inviter no longer holds the rights the invitation grants: it cannot be accepted. */
  INVITER_LACKS_RIGHTS: 403,
  /** A tag, list or field is used by SmartLists or actions: `details` lists them; confirm to delete. */
  IN_USE: 409,
  /** An import file that cannot be read at all (details.reason: empty_file, binary_file, no_header, …; details.line). */
  IMPORT_FILE_INVALID: 400,
  /** An upload beyond the configured size limit. */
  IMPORT_FILE_TOO_LARGE: 413,
  /** A remote import source could not be used (details.cause: unreachable, auth_failed, …). */
  IMPORT_SOURCE_FAILED: 400,
  /** A template with a syntax error or an unknown merge field (details.fields: the unknown names; details.line). */
  TEMPLATE_INVALID: 400,
  /** The channel a send needs is not set up (no SMS provider; details.channel). */
  CHANNEL_NOT_CONFIGURED: 400,
  /** A selection with no sendable recipient, started without `confirmEmpty` (details: the preview's counts). */
  NO_RECIPIENTS: 400,
  /** A webhook or callback whose signature does not check out: nothing was changed. */
  SIGNATURE_INVALID: 401,
  /** An unsubscribe link that is forged or expired. */
  UNSUBSCRIBE_LINK_INVALID: 400,
  /** A mailing that cannot be scheduled yet (details.missing: 'content', 'sender', 'audience'). */
  MAILING_INCOMPLETE: 400,
  /** A mailing (or another of its family) is already being sent, or is in a state that forbids the change (details.status). */
  MAILING_BUSY: 409,
  /** A tracking link whose token is forged or unreadable: nothing was counted. */
  TRACKING_LINK_INVALID: 400,
  /** A distribution target that is the source itself or not below it (details.accountId, details.reason: self, not_descendant, unknown). Nothing was written. */
  DISTRIBUTION_TARGET_INVALID: 400,
  /** The element is being distributed (or its activation changed) already (details.distributionId). */
  DISTRIBUTION_BUSY: 409,
  /** A substitute that is of another kind, not in the target account, or for an element not in the source (details.reason). */
  SUBSTITUTE_INVALID: 400,
  /** The element serves as a substitute (details.usage); delete again with `?confirm=true` to remove it and its substitute entries. */
  SUBSTITUTE_IN_USE: 409,
  /** An inactive template or mailing cannot be used for a new send (details.kind, details.id). */
  ELEMENT_INACTIVE: 400,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** The body of every error response. `details` carries e.g. the offending fields for validation errors. */
export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A field-level problem, as listed in `details.fields` of VALIDATION_FAILED. */
export const fieldIssueSchema = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;
