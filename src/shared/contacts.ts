import { z } from 'zod';
import { dayOrInstantSchema } from './time-zones.ts';
import { accountParamsSchema } from './accounts.ts';
import { smartListNoteSchema } from './references.ts';
import { deliverabilityStateSchema } from './messaging.ts';
import { boundedNumber, cursorString, idString, pageSchema, safeString } from './primitives.ts';

const numericId = idString();

/**
 * A person's choice per channel. Whether an address can be reached (bounces, complaints) is its
 * deliverability (`src/shared/messaging.ts`), kept apart: a bounce is not a choice.
 */
export const CONSENT_STATUSES = ['subscribed', 'unsubscribed'] as const;
export const consentSchema = z.enum(CONSENT_STATUSES);
export type Consent = z.infer<typeof consentSchema>;

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export const customFieldTypeSchema = z.enum(CUSTOM_FIELD_TYPES);
export type CustomFieldType = z.infer<typeof customFieldTypeSchema>;

/** A custom field value as stored: text, number, ISO date (YYYY-MM-DD) or boolean. */
export const customValueSchema = z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()]);
export type CustomValue = z.infer<typeof customValueSchema>;
/** Custom field values as a client sends them; each is checked against its field's type in contact-input.ts. */
const customFieldsBodySchema = z.record(
  safeString().max(60),
  z.union([safeString().max(2000), boundedNumber(), z.boolean(), z.null()]),
);

// ---- catalogue objects ------------------------------------------------------------------------

export const tagSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  contactCount: z.number().int().optional(),
  createdAt: z.string(),
});
export type Tag = z.infer<typeof tagSchema>;
export const tagBodySchema = z
  .object({
    name: safeString().trim().min(1).max(100),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .nullable()
      .optional(),
  })
  .strict();

export const subscriberListSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int().optional(),
  createdAt: z.string(),
});
export type SubscriberList = z.infer<typeof subscriberListSchema>;
export const subscriberListBodySchema = z
  .object({
    name: safeString().trim().min(1).max(200),
    description: safeString().max(2000).nullable().optional(),
  })
  .strict();

export const customFieldSchema = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  type: customFieldTypeSchema,
  createdAt: z.string(),
});
export type CustomField = z.infer<typeof customFieldSchema>;
export const createCustomFieldBodySchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'lowercase letters, digits and _; starts with a letter'),
    label: safeString().trim().min(1).max(100),
    type: customFieldTypeSchema,
  })
  .strict();
export const updateCustomFieldBodySchema = z.object({ label: safeString().trim().min(1).max(100) }).strict();

// ---- contacts ---------------------------------------------------------------------------------

export const contactSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  emailConsent: consentSchema,
  smsConsent: consentSchema,
  customFields: z.record(z.string(), customValueSchema),
  tagIds: z.array(z.string()),
  listIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

const contactFields = {
  email: z.email().max(320).nullable(),
  phone: safeString().trim().min(3).max(40).nullable(),
  firstName: safeString().trim().max(200).nullable(),
  lastName: safeString().trim().max(200).nullable(),
  emailConsent: consentSchema,
  smsConsent: consentSchema,
  customFields: customFieldsBodySchema,
  tagIds: z.array(numericId).max(500),
  listIds: z.array(numericId).max(500),
};
export const createContactBodySchema = z
  .object(contactFields)
  .partial()
  .strict()
  .refine((c) => Boolean(c.email) || Boolean(c.phone), {
    message: 'a contact needs an email or a phone',
    path: ['email'],
  });
export type CreateContactBody = z.infer<typeof createContactBodySchema>;
export const updateContactBodySchema = z.object(contactFields).partial().strict();
export type UpdateContactBody = z.infer<typeof updateContactBodySchema>;

export const contactParamsSchema = accountParamsSchema.extend({ contactId: numericId });
export const contactTagParamsSchema = contactParamsSchema.extend({ tagId: numericId });
export const contactListParamsSchema = contactParamsSchema.extend({ listId: numericId });
export const tagParamsSchema = accountParamsSchema.extend({ tagId: numericId });
export const listParamsSchema = accountParamsSchema.extend({ listId: numericId });
export const fieldParamsSchema = accountParamsSchema.extend({ fieldId: numericId });
export const smartListParamsSchema = accountParamsSchema.extend({ smartListId: numericId });

// ---- filters ----------------------------------------------------------------------------------

export const STANDARD_FIELDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'created_at',
  'updated_at',
] as const;
export const FIELD_OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'starts_with',
  'is_empty',
  'is_not_empty',
  'greater_than',
  'less_than',
  'before',
  'after',
  'within_last_days',
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];
export type StandardField = (typeof STANDARD_FIELDS)[number];

/** The value type of each standard field (custom fields carry their own). */
export const STANDARD_FIELD_TYPES: Record<StandardField, CustomFieldType> = {
  email: 'text',
  phone: 'text',
  first_name: 'text',
  last_name: 'text',
  created_at: 'date',
  updated_at: 'date',
};

/** The operators a field of each type allows: the filter builder offers these, the compiler enforces them. */
export const OPERATORS_BY_TYPE: Record<CustomFieldType, readonly FieldOperator[]> = {
  text: ['equals', 'not_equals', 'contains', 'starts_with', 'is_empty', 'is_not_empty'],
  number: ['equals', 'not_equals', 'greater_than', 'less_than', 'is_empty', 'is_not_empty'],
  date: ['equals', 'before', 'after', 'within_last_days', 'is_empty', 'is_not_empty'],
  boolean: ['equals', 'not_equals', 'is_empty', 'is_not_empty'],
};

/** A field is a standard column or `custom.<key>` of a custom field definition. */
export const fieldRefSchema = z.union([
  z.enum(STANDARD_FIELDS),
  z.string().regex(/^custom\.[a-z][a-z0-9_]{0,49}$/, 'a standard field or custom.<key>'),
]);

export const conditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tag'), op: z.enum(['has', 'has_not']), tagId: numericId }).strict(),
  z.object({ type: z.literal('list'), op: z.enum(['member', 'not_member']), listId: numericId }).strict(),
  z
    .object({
      type: z.literal('field'),
      field: fieldRefSchema,
      op: z.enum(FIELD_OPERATORS),
      value: z.union([safeString().max(500), boundedNumber(), z.boolean()]).optional(),
    })
    .strict(),
  z.object({ type: z.literal('consent'), channel: z.enum(['email', 'sms']), status: consentSchema }).strict(),
  z
    .object({
      type: z.literal('deliverability'),
      channel: z.enum(['email', 'sms']),
      /** `ok` also matches addresses nothing was ever recorded for. */
      state: deliverabilityStateSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('email_domain'),
      op: z.enum(['equals', 'not_equals']),
      value: safeString().trim().min(1).max(255),
    })
    .strict(),
  z
    .object({
      type: z.literal('created'),
      /** A calendar day of the account (from its start) or an instant. */
      from: dayOrInstantSchema.optional(),
      /** A calendar day of the account (to its end, included) or an instant (excluded). */
      to: dayOrInstantSchema.optional(),
    })
    .strict(),
]);
export type Condition = z.infer<typeof conditionSchema>;

/** A filter is a tree of AND/OR groups over conditions. */
export interface FilterGroup {
  op: 'and' | 'or';
  conditions: (Condition | FilterGroup)[];
}
/** Groups nest at most this deep (the top group is level 1). */
export const MAX_FILTER_DEPTH = 5;
/** Entries (conditions and groups) per group. */
export const MAX_FILTER_CONDITIONS = 100;
/** Entries (conditions and groups) in the whole tree. */
export const MAX_FILTER_NODES = 500;

/**
 * Checks the size of a filter tree before zod parses it: an iterative walk, so a tree nested
 * 100,000 levels deep is a 400 naming the path instead of a stack overflow in a recursive parser.
 */
function checkFilterSize(input: unknown, ctx: z.RefinementCtx): void {
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [
    { node: input, depth: 1, path: [] },
  ];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    const conditions = (node as { conditions?: unknown } | null)?.conditions;
    if (typeof node !== 'object' || node === null || !Array.isArray(conditions)) continue;
    if (depth > MAX_FILTER_DEPTH) {
      ctx.addIssue({ code: 'custom', path, message: `groups nest at most ${MAX_FILTER_DEPTH} deep` });
      return;
    }
    nodes += conditions.length;
    if (nodes > MAX_FILTER_NODES) {
      ctx.addIssue({ code: 'custom', path, message: `a filter has at most ${MAX_FILTER_NODES} conditions` });
      return;
    }
    conditions.forEach((child, i) =>
      stack.push({ node: child, depth: depth + 1, path: [...path, 'conditions', i] }),
    );
  }
}

const filterTreeSchema: z.ZodType<FilterGroup> = z.lazy(() =>
  z
    .object({
      op: z.enum(['and', 'or']),
      conditions: z.array(z.union([conditionSchema, filterTreeSchema])).max(MAX_FILTER_CONDITIONS),
    })
    .strict(),
);

/** A filter as a client sends it: depth and size checked first (iteratively), then the tree. */
export const filterGroupSchema: z.ZodType<FilterGroup> = z.preprocess((input, ctx) => {
  checkFilterSize(input, ctx);
  return input;
}, filterTreeSchema);

/**
 * A filter as stored, for responses: shown as saved even when it no longer passes filterGroupSchema
 * (saved before a rule was tightened), so it can be opened and fixed; using it answers SMART_LIST_INVALID.
 */
export const storedFilterSchema = z
  .object({ op: z.enum(['and', 'or']), conditions: z.array(z.unknown()) })
  .loose() as unknown as z.ZodType<FilterGroup>;

export const isGroup = (c: Condition | FilterGroup): c is FilterGroup => 'conditions' in c;

// ---- smart lists ------------------------------------------------------------------------------

export const smartListSchema = z.object({
  id: z.string(),
  name: z.string(),
  filter: storedFilterSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  /** Conditions removed because what they used was deleted; shown until dismissed. */
  notes: z.array(smartListNoteSchema),
});
export type SmartList = z.infer<typeof smartListSchema>;
export const createSmartListBodySchema = z
  .object({ name: safeString().trim().min(1).max(200), filter: filterGroupSchema })
  .strict();
export const updateSmartListBodySchema = createSmartListBodySchema.partial().strict();

// ---- selections: the one input of every bulk action ---------------------------------------------

export const selectionSchema = z.union([
  z
    .object({
      contactIds: z.array(numericId).min(1).max(10_000),
      excludeIds: z.array(numericId).max(10_000).optional(),
    })
    .strict(),
  z
    .object({
      smartListId: numericId,
      search: safeString().max(200).optional(),
      excludeIds: z.array(numericId).max(10_000).optional(),
    })
    .strict(),
  z
    .object({
      filter: filterGroupSchema,
      search: safeString().max(200).optional(),
      excludeIds: z.array(numericId).max(10_000).optional(),
    })
    .strict(),
]);
export type Selection = z.infer<typeof selectionSchema>;

export const selectionPreviewBodySchema = z
  .object({ selection: selectionSchema, sampleSize: z.number().int().min(0).max(50).optional() })
  .strict();
export const selectionPreviewSchema = z.object({ count: z.number().int(), sample: z.array(contactSchema) });
export type SelectionPreview = z.infer<typeof selectionPreviewSchema>;

// ---- listing ----------------------------------------------------------------------------------

export const CONTACT_SORTS = ['created_at', 'updated_at', 'email', 'last_name', 'id'] as const;
export const contactSortSchema = z.enum(CONTACT_SORTS);
export type ContactSort = z.infer<typeof contactSortSchema>;

export const listContactsQuerySchema = z
  .object({
    search: safeString().trim().max(200).optional(),
    smartListId: numericId.optional(),
    /** A filter tree as JSON text (URL-safe when encoded). */
    filter: safeString().max(20_000).optional(),
    sort: contactSortSchema.default('created_at'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    cursor: cursorString().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListContactsQuery = z.infer<typeof listContactsQuerySchema>;

export const contactPageSchema = pageSchema(contactSchema);
export type ContactPage = z.infer<typeof contactPageSchema>;

export const countSchema = z.object({ count: z.number().int() });
export const filterPreviewBodySchema = z.object({ filter: filterGroupSchema }).strict();
