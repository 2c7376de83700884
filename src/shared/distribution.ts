// The client-account system: distributing templates and mailings from an account into its
// descendants, substitutes, activation across accounts. Shared by server (modules/distribution,
// modules/substitutes) and web (features/distribution). Every route lives under the SOURCE account
// (`/api/accounts/:accountId/...`, right `distribution.manage` there) and names target accounts,
// which must be descendants of it.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { cursorString, idString, pageSchema, safeString } from './primitives.ts';

const numericId = idString();
const ref = z.object({ id: z.string(), name: z.string() });

/** Every kind of element a substitute can stand for (a target group is a SmartList). */
export const ELEMENT_KINDS = [
  'email_template',
  'sms_template',
  'mailing',
  'subscriber_list',
  'target_group',
  'sender_profile',
] as const;
export const elementKindSchema = z.enum(ELEMENT_KINDS);
export type ElementKind = z.infer<typeof elementKindSchema>;

/** The kinds that can be distributed (and have an activation status). */
export const DISTRIBUTABLE_KINDS = ['email_template', 'sms_template', 'mailing'] as const;
export const distributableKindSchema = z.enum(DISTRIBUTABLE_KINDS);
export type DistributableKind = z.infer<typeof distributableKindSchema>;

/** The notification catalogue's coarser kind ('template' covers email and SMS). */
export const notificationKindOf = (kind: DistributableKind): 'template' | 'mailing' =>
  kind === 'mailing' ? 'mailing' : 'template';

export const OPERATIONS = ['distribute', 'activate', 'deactivate'] as const;
export const operationSchema = z.enum(OPERATIONS);
export type DistributionOperation = z.infer<typeof operationSchema>;

/**
 * Why a target failed or was skipped (stable codes; the UI and notifications translate them).
 * - missing_substitute: a part of the element has no substitute in the target (detail.missing)
 * - substitute_deleted: the registered substitute no longer exists there (detail.missing)
 * - reference_deleted: the element refers to a part that was deleted in the source (detail.reference)
 * - name_conflict: the target has another element of that kind and name (detail.name)
 * - kind_not_allowed: the target does not accept this kind of element
 * - not_descendant: the target is not (or no longer) below the source account
 * - copy_in_use: the copy is a mailing that is scheduled, sending or sent
 * - no_copy: activation change for a target that has no copy
 * - locally_modified: (skipped) the copy was changed in the target since the last distribution
 * - kept_local: (skipped) the user chose to keep the target's local changes
 * - transaction_failed: the target's transaction failed unexpectedly (detail.message); nothing changed there
 * - not_permitted: the user who started it no longer holds `distribution.manage` in the source
 */
export const DISTRIBUTION_REASONS = [
  'missing_substitute',
  'substitute_deleted',
  'reference_deleted',
  'name_conflict',
  'kind_not_allowed',
  'not_descendant',
  'copy_in_use',
  'no_copy',
  'locally_modified',
  'kept_local',
  'transaction_failed',
  'not_permitted',
] as const;
export const distributionReasonSchema = z.enum(DISTRIBUTION_REASONS);
export type DistributionReason = z.infer<typeof distributionReasonSchema>;

/** A part of an element that must be found in each target (a mailing's template, lists, …). */
export const elementRefSchema = z.object({ kind: elementKindSchema, id: z.string(), name: z.string() });
export type ElementRef = z.infer<typeof elementRefSchema>;

/** A missing part in one target, with an element of the same kind and name there if one exists. */
export const missingPartSchema = elementRefSchema.extend({ suggestion: ref.nullable() });
export type MissingPart = z.infer<typeof missingPartSchema>;

/** Particulars of a target's result (which ones are set depends on the reason). */
export const targetDetailSchema = z.object({
  missing: z.array(missingPartSchema).optional(),
  reference: elementRefSchema.optional(),
  name: z.string().optional(),
  message: z.string().optional(),
});
export type TargetDetail = z.infer<typeof targetDetailSchema>;

// ---- Targets -------------------------------------------------------------------------------------

/** An account below the source, for the target picker (depth 1 = a direct child). */
export const targetAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string(),
  depth: z.number().int().min(1),
});
export type TargetAccount = z.infer<typeof targetAccountSchema>;
export const targetAccountListSchema = z.object({ items: z.array(targetAccountSchema) });

/** Which descendants: all, a selection, or those whose name contains `filter` (case-insensitive). */
export const targetSpecSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }).strict(),
  z.object({ mode: z.literal('selected'), accountIds: z.array(numericId).min(1).max(10_000) }).strict(),
  z.object({ mode: z.literal('name'), filter: safeString().trim().min(1).max(200) }).strict(),
]);
export type TargetSpec = z.infer<typeof targetSpecSchema>;

export const elementSelectorSchema = z.object({ kind: distributableKindSchema, id: numericId }).strict();
export type ElementSelector = z.infer<typeof elementSelectorSchema>;

// ---- Dry run -------------------------------------------------------------------------------------

export const PLAN_OUTCOMES = ['create', 'update', 'unchanged', 'locally_modified', 'fail'] as const;
export const planOutcomeSchema = z.enum(PLAN_OUTCOMES);
export type PlanOutcome = z.infer<typeof planOutcomeSchema>;

/** Dry run: what a distribution would do; writes nothing. */
export const planBodySchema = z
  .object({ element: elementSelectorSchema, targets: targetSpecSchema })
  .strict();
export type PlanBody = z.infer<typeof planBodySchema>;

export const planTargetSchema = z.object({
  account: ref,
  outcome: planOutcomeSchema,
  /** Set for 'fail' (and 'locally_modified'). */
  reason: distributionReasonSchema.nullable(),
  detail: targetDetailSchema.nullable(),
  /** The existing copy in the target (update / unchanged / locally_modified). */
  copy: ref.extend({ originVersion: z.number().int().nullable() }).nullable(),
});
export type PlanTarget = z.infer<typeof planTargetSchema>;

export const planSchema = z.object({
  element: elementRefSchema.extend({ version: z.number().int() }),
  /** The parts the element refers to, resolved per target. */
  references: z.array(elementRefSchema),
  targets: z.array(planTargetSchema),
  counts: z.record(planOutcomeSchema, z.number().int()),
});
export type Plan = z.infer<typeof planSchema>;

// ---- Distributions -------------------------------------------------------------------------------

export const TARGET_STATUSES = [
  'pending',
  'created',
  'updated',
  'unchanged',
  'skipped',
  'activated',
  'deactivated',
  'failed',
] as const;
export const targetStatusSchema = z.enum(TARGET_STATUSES);
export type TargetStatus = z.infer<typeof targetStatusSchema>;

/**
 * Starting a distribution (202). `onModified` per target account id for copies changed locally:
 * 'overwrite' or 'keep'; unnamed ones are skipped with `locally_modified`. Operation 'activate' /
 * 'deactivate' sets the status of the element's copies in the targets (which must hold a copy;
 * `targets` mode 'all' means every account with a copy). Header `Idempotency-Key` makes a retried
 * start create one distribution.
 */
export const createDistributionBodySchema = z
  .object({
    operation: operationSchema.default('distribute'),
    element: elementSelectorSchema,
    targets: targetSpecSchema,
    onModified: z.record(numericId, z.enum(['overwrite', 'keep'])).optional(),
  })
  .strict();
export type CreateDistributionBody = z.input<typeof createDistributionBodySchema>;

export const distributionCountsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  activated: z.number().int(),
  deactivated: z.number().int(),
  failed: z.number().int(),
});
export type DistributionCounts = z.infer<typeof distributionCountsSchema>;

export const distributionSchema = z.object({
  id: z.string(),
  operation: operationSchema,
  element: elementRefSchema.extend({ kind: distributableKindSchema, version: z.number().int() }),
  status: z.enum(['running', 'completed', 'cancelled']),
  counts: distributionCountsSchema,
  retryOf: z.string().nullable(),
  createdBy: ref.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Distribution = z.infer<typeof distributionSchema>;
export const distributionPageSchema = pageSchema(distributionSchema);

export const distributionParamsSchema = accountParamsSchema.extend({ distributionId: numericId });

/** History: the distributions of one element (newest first), or all of the account's. */
export const listDistributionsQuerySchema = z
  .object({
    elementKind: distributableKindSchema.optional(),
    elementId: numericId.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: cursorString().optional(),
  })
  .strict();
export type ListDistributionsQuery = z.infer<typeof listDistributionsQuerySchema>;

export const distributionTargetSchema = z.object({
  account: ref,
  status: targetStatusSchema,
  reason: distributionReasonSchema.nullable(),
  detail: targetDetailSchema.nullable(),
  onModified: z.enum(['skip', 'overwrite', 'keep']),
  /** The copy written (or found) in the target. */
  copy: ref.nullable(),
  finishedAt: z.string().nullable(),
});
export type DistributionTarget = z.infer<typeof distributionTargetSchema>;
export const distributionTargetPageSchema = pageSchema(distributionTargetSchema);

export const listTargetsQuerySchema = z
  .object({
    status: targetStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    cursor: cursorString().optional(),
  })
  .strict();
export type ListTargetsQuery = z.infer<typeof listTargetsQuerySchema>;

// ---- Copies of an element (for activation and rollback) -------------------------------------------

export const elementParamsSchema = accountParamsSchema.extend({
  kind: distributableKindSchema,
  elementId: numericId,
});

export const copySchema = z.object({
  account: ref,
  copy: ref,
  active: z.boolean(),
  originVersion: z.number().int().nullable(),
  distributedAt: z.string().nullable(),
  /** Changed in the target since the last distribution. */
  locallyModified: z.boolean(),
  /** An earlier content is kept: the target can be rolled back to before the last distribution. */
  canRollback: z.boolean(),
});
export type ElementCopy = z.infer<typeof copySchema>;
export const copyListSchema = z.object({ items: z.array(copySchema) });

export const rollbackParamsSchema = elementParamsSchema.extend({ targetAccountId: numericId });

// ---- Origin badge on templates and mailings -------------------------------------------------------

/** Where a distributed copy came from ("from Nordlicht Agency, version 3"); null for own elements. */
export const originSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  version: z.number().int().nullable(),
  distributedAt: z.string().nullable(),
  locallyModified: z.boolean(),
});
export type Origin = z.infer<typeof originSchema>;

/** Own activation change of a template or mailing (right `mailings.manage`). */
export const activationBodySchema = z.object({ active: z.boolean() }).strict();
export type ActivationBody = z.infer<typeof activationBodySchema>;

// ---- Substitutes --------------------------------------------------------------------------------

export const substituteSchema = z.object({
  id: z.string(),
  targetAccount: ref,
  kind: elementKindSchema,
  /** The source account's element (`missing`: deleted since). */
  source: ref.extend({ missing: z.boolean() }),
  /** The target account's element standing for it. */
  substitute: ref.extend({ missing: z.boolean() }),
  updatedAt: z.string(),
});
export type Substitute = z.infer<typeof substituteSchema>;
export const substitutePageSchema = pageSchema(substituteSchema);

export const listSubstitutesQuerySchema = z
  .object({
    targetAccountId: numericId.optional(),
    kind: elementKindSchema.optional(),
    sourceId: numericId.optional(),
    /** Part of the source's or the substitute's name, case-insensitive. */
    search: safeString().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: cursorString().optional(),
  })
  .strict();
export type ListSubstitutesQuery = z.infer<typeof listSubstitutesQuerySchema>;

/** Registers (or re-points) the substitute for one source element in one target account. */
export const putSubstituteBodySchema = z
  .object({
    targetAccountId: numericId,
    kind: elementKindSchema,
    sourceId: numericId,
    substituteId: numericId,
  })
  .strict();
export type PutSubstituteBody = z.infer<typeof putSubstituteBodySchema>;

export const substituteParamsSchema = accountParamsSchema.extend({ substituteId: numericId });
export const bulkDeleteSubstitutesBodySchema = z
  .object({ ids: z.array(numericId).min(1).max(1000) })
  .strict();

/**
 * CSV import (text/csv body, UTF-8): header `target_account_id,kind,source_id,substitute_id`, or
 * names instead of ids (`target_account_name`, `source_name`, `substitute_name`); the export's
 * columns are accepted. Valid rows are applied, the others answered with line and reason.
 */
export const substituteImportResultSchema = z.object({
  applied: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type SubstituteImportResult = z.infer<typeof substituteImportResultSchema>;

/** Elements of one kind in a target account, for the substitute picker. */
export const candidatesQuerySchema = z
  .object({
    targetAccountId: numericId,
    kind: elementKindSchema,
    search: safeString().trim().max(200).optional(),
  })
  .strict();
export const candidateListSchema = z.object({ items: z.array(ref) });

/** Which distributable kinds a target account accepts (its own setting, right `settings.manage`). */
export const acceptedKindsSchema = z.object({ kinds: z.array(distributableKindSchema) }).strict();
export type AcceptedKinds = z.infer<typeof acceptedKindsSchema>;

/** The element-side warning: the substitutes an element serves as (delete answers 409 SUBSTITUTE_IN_USE). */
export const substituteUsageSchema = z.array(z.object({ sourceAccount: ref, kind: elementKindSchema }));
