// One chunk of an import: the staged rows of the chunk merged into contacts, set-based, inside the
// engine's chunk transaction (so a crash repeats the chunk and nothing twice). What happens to a
// matched contact follows the mode and the per-field policies; consent is changed only when asked
// and never from unsubscribed back to subscribed; a consent cell saying "bounced" leaves consent as it
// is and marks the address hard-bounced (deliverability is not consent). A dry run decides the same and writes
// nothing but its own figures and outcomes.
import { sql } from 'drizzle-orm';
import { pgArray } from '../../db/sql-arrays.ts';
import { rows, type Queryable } from '../../db/types.ts';
import { asAccountId, type AccountId } from '../../db/tenant.ts';
import { PermanentFailure } from '../../engine/failures.ts';
import type { ChunkContext, ItemOutcome } from '../../engine/registry.ts';
import type { CustomValue } from '../../../shared/contacts.ts';
import type { FieldPolicy, ImportSettings } from '../../../shared/imports.ts';
import * as repo from './imports.repo.ts';
import { addressKey } from '../deliverability/deliverability.repo.ts';
import type { MergeRow } from './imports.repo.ts';
import type { ImportParams } from './import-bulk-type.ts';

type Fields = {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  emailConsent: string;
  smsConsent: string;
  custom: Record<string, CustomValue>;
};

interface Plan {
  row: MergeRow;
  kind: 'create' | 'update' | 'unchanged';
  values: Fields;
}

const STANDARD: readonly {
  field: 'email' | 'phone' | 'first_name' | 'last_name';
  key: keyof Fields;
  current: keyof MergeRow;
}[] = [
  { field: 'email', key: 'email', current: 'cEmail' },
  { field: 'phone', key: 'phone', current: 'cPhone' },
  { field: 'first_name', key: 'firstName', current: 'cFirstName' },
  { field: 'last_name', key: 'lastName', current: 'cLastName' },
];

/** The chunk handler of the `import` type (registry.ts `ChunkHandler`); subjects are row numbers. */
export async function importChunk(
  q: Queryable,
  ctx: ChunkContext<ImportParams>,
  rowNos: readonly number[],
): Promise<{ outcomes: Map<number, ItemOutcome> }> {
  const accountId = asAccountId(ctx.action.accountId);
  // Every read of a chunk is an index probe by design (staged rows by row number, contacts by
  // email or phone). Statistics taken while contacts or import_rows were still empty make the
  // planner scan them per row instead (measured: a minute per 10,000-row chunk), so seq scans
  // are ruled out for this transaction.
  await q.execute(sql`SET LOCAL enable_seqscan = off`);
  const imp = await repo.findImport(q, accountId, ctx.action.id);
  if (!imp) throw new PermanentFailure('file_unreadable');
  const settings = imp.settings;
  const outcomes = new Map<number, ItemOutcome>();
  const merged = await repo.chunkRows(q, accountId, ctx.action.id, rowNos, settings.matchBy);
  const mapped = mappedFields(imp.header, settings);
  const plans: Plan[] = [];
  for (const row of merged) {
    const outcome = rowOutcome(row, settings);
    if (outcome) outcomes.set(row.rowNo, outcome);
    else plans.push(plan(row, settings, mapped));
  }
  await refuseTakenKeys(q, accountId, plans, outcomes);
  const live = plans.filter((p) => !outcomes.has(p.row.rowNo));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  if (imp.dryRun) {
    for (const p of live)
      counts[p.kind === 'create' ? 'created' : p.kind === 'update' ? 'updated' : 'unchanged']++;
  } else {
    const created = await insertContacts(
      q,
      accountId,
      ctx,
      live.filter((p) => p.kind === 'create'),
      outcomes,
    );
    const updates = live.filter((p) => p.kind === 'update');
    await updateContacts(q, accountId, ctx, updates);
    await recordOptOuts(q, accountId, ctx, updates);
    counts.created = created.size;
    counts.updated = updates.length;
    counts.unchanged = live.filter((p) => p.kind === 'unchanged').length;
    const contactOf = (p: Plan) =>
      p.kind === 'create' ? created.get(p.row.rowNo) : (p.row.contactId ?? undefined);
    const done = live.flatMap((p) => {
      const id = contactOf(p);
      return id === undefined ? [] : [{ id, tags: p.row.tags ?? [] }];
    });
    await addTagsAndLists(q, accountId, settings, done);
    await markBounced(
      q,
      accountId,
      live.filter((p) => contactOf(p) !== undefined && (p.kind === 'create' || settings.applyConsent)),
    );
    await repo.recordCreated(q, accountId, ctx.action.id, ctx.firstSeq, [...created.values()]);
  }
  await repo.addCounts(q, ctx.action.id, counts);
  return { outcomes };
}

/** Which standard fields and custom keys the file has a column for. */
function mappedFields(_header: readonly string[], settings: ImportSettings) {
  const kinds = new Set(settings.columns.map((c) => c.target.kind));
  const custom = settings.columns.flatMap((c) => (c.target.kind === 'custom' ? [c.target.key] : []));
  return { kinds, custom };
}

/** Why a row is not merged at all: invalid, a duplicate, or excluded by the mode. */
function rowOutcome(row: MergeRow, settings: ImportSettings): ItemOutcome | null {
  const label = [row.email, row.phone].filter(Boolean).join(' / ') || null;
  const details = { row: row.rowNo, line: row.line };
  if (row.error)
    return {
      outcome: 'failed',
      reason: row.error.code,
      label,
      details: { ...details, column: row.error.column, message: row.error.message },
    };
  if (row.dupOf !== null)
    return {
      outcome: 'skipped',
      reason: 'duplicate_in_file',
      label,
      details: { ...details, collidesWith: row.dupOf, message: `Same email or phone as row ${row.dupOf}` },
    };
  if (row.contactId !== null && settings.mode === 'create')
    return {
      outcome: 'skipped',
      reason: 'contact_exists',
      label,
      details: { ...details, message: 'The contact exists (mode: create only)' },
    };
  if (row.contactId === null && settings.mode === 'update')
    return {
      outcome: 'skipped',
      reason: 'contact_not_found',
      label,
      details: { ...details, message: 'No such contact (mode: update only)' },
    };
  return null;
}

function plan(row: MergeRow, settings: ImportSettings, mapped: ReturnType<typeof mappedFields>): Plan {
  const fileCustom = row.custom ?? {};
  if (row.contactId === null) {
    const custom = Object.fromEntries(Object.entries(fileCustom).filter(([, v]) => v !== null));
    return {
      row,
      kind: 'create',
      values: {
        email: row.email,
        phone: row.phone,
        firstName: row.firstName,
        lastName: row.lastName,
        emailConsent: consent('subscribed', row.emailConsent),
        smsConsent: consent('subscribed', row.smsConsent),
        custom,
      },
    };
  }
  const policy = (name: string): FieldPolicy => settings.policies[name] ?? 'overwrite';
  const take = (name: string, mappedHere: boolean, file: CustomValue, current: CustomValue): CustomValue => {
    const p = policy(name);
    if (!mappedHere || p === 'never') return current;
    if (file === null) return settings.blankClears && p === 'overwrite' ? null : current;
    if (p === 'fill_empty') return current === null || current === '' ? file : current;
    return file;
  };
  const values: Fields = {
    email: row.cEmail,
    phone: row.cPhone,
    firstName: row.cFirstName,
    lastName: row.cLastName,
    emailConsent: row.cEmailConsent ?? 'subscribed',
    smsConsent: row.cSmsConsent ?? 'subscribed',
    custom: { ...(row.cCustom ?? {}) },
  };
  for (const s of STANDARD) {
    // The key contacts are matched by is what matched: it is never changed (nor cleared).
    if (s.field === settings.matchBy) continue;
    const next = take(
      s.field,
      mapped.kinds.has(s.field),
      row[s.key as keyof MergeRow] as CustomValue,
      row[s.current] as CustomValue,
    );
    (values as Record<string, unknown>)[s.key] = next;
  }
  // A contact keeps an email or a phone: clearing the last one is not done.
  if (values.email === null && values.phone === null) {
    values.email = row.cEmail;
    values.phone = row.cPhone;
  }
  for (const key of mapped.custom) {
    const next = take(`custom.${key}`, true, fileCustom[key] ?? null, values.custom[key] ?? null);
    if (next === null) delete values.custom[key];
    else values.custom[key] = next;
  }
  if (settings.applyConsent) {
    values.emailConsent = consent(values.emailConsent, row.emailConsent);
    values.smsConsent = consent(values.smsConsent, row.smsConsent);
  }
  const changed =
    values.email !== row.cEmail ||
    values.phone !== row.cPhone ||
    values.firstName !== row.cFirstName ||
    values.lastName !== row.cLastName ||
    values.emailConsent !== row.cEmailConsent ||
    values.smsConsent !== row.cSmsConsent ||
    !sameJson(values.custom, row.cCustom ?? {});
  return { row, kind: changed ? 'update' : 'unchanged', values };
}

/** The file's consent for a contact: never back to subscribed from unsubscribed; `bounced` is no consent. */
function consent(current: string, file: string | null): string {
  if (file === null || file === 'bounced') return current;
  if (file === 'subscribed' && current !== 'subscribed') return current;
  return file;
}

function sameJson(a: Record<string, CustomValue>, b: Record<string, CustomValue>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Rows whose new email or phone another live contact holds fail (`email_taken`, `phone_taken`). */
async function refuseTakenKeys(
  q: Queryable,
  accountId: AccountId,
  plans: Plan[],
  outcomes: Map<number, ItemOutcome>,
) {
  const changes = plans.filter((p) => p.kind !== 'unchanged');
  const emails = changes.flatMap((p) =>
    p.values.email && p.values.email !== p.row.cEmail ? [p.values.email] : [],
  );
  const phones = changes.flatMap((p) =>
    p.values.phone && p.values.phone !== p.row.cPhone ? [p.values.phone] : [],
  );
  if (!emails.length && !phones.length) return;
  const held = await repo.holders(q, accountId, emails, phones);
  for (const p of changes) {
    const self = p.row.contactId;
    const label = [p.row.email, p.row.phone].filter(Boolean).join(' / ') || null;
    const base = { row: p.row.rowNo, line: p.row.line };
    const emailHolder = p.values.email ? held.emails.get(p.values.email) : undefined;
    const phoneHolder = p.values.phone ? held.phones.get(p.values.phone) : undefined;
    if (emailHolder !== undefined && emailHolder !== self && p.values.email !== p.row.cEmail)
      outcomes.set(p.row.rowNo, {
        outcome: 'failed',
        reason: 'email_taken',
        label,
        details: { ...base, message: `Another contact (${emailHolder}) has this email` },
      });
    else if (phoneHolder !== undefined && phoneHolder !== self && p.values.phone !== p.row.cPhone)
      outcomes.set(p.row.rowNo, {
        outcome: 'failed',
        reason: 'phone_taken',
        label,
        details: { ...base, message: `Another contact (${phoneHolder}) has this phone` },
      });
  }
}

const customJson = (p: Plan) => JSON.stringify(p.values.custom);

/** Inserts the new contacts; answers row number → contact id. A row a concurrent writer beat fails `conflict`. */
async function insertContacts(
  q: Queryable,
  accountId: AccountId,
  ctx: ChunkContext<ImportParams>,
  creates: Plan[],
  outcomes: Map<number, ItemOutcome>,
): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  if (!creates.length) return result;
  const now = ctx.now.toISOString();
  const by = ctx.action.createdBy;
  const inserted = await rows<{ id: number; email: string | null; phone: string | null }>(
    q,
    sql`INSERT INTO contacts (account_id, email, phone, first_name, last_name, email_consent, sms_consent, custom_fields,
                              created_by, updated_by, created_at, updated_at)
        SELECT ${accountId}, u.email, u.phone, u.first_name, u.last_name, u.ec, u.sc, u.custom::jsonb, ${by}, ${by},
               ${now}::timestamptz, ${now}::timestamptz
        FROM unnest(${pgArray(creates.map((p) => p.values.email))}::text[], ${pgArray(creates.map((p) => p.values.phone))}::text[],
                    ${pgArray(creates.map((p) => p.values.firstName))}::text[], ${pgArray(creates.map((p) => p.values.lastName))}::text[],
                    ${pgArray(creates.map((p) => p.values.emailConsent))}::text[], ${pgArray(creates.map((p) => p.values.smsConsent))}::text[],
                    ${pgArray(creates.map(customJson))}::text[])
          AS u(email, phone, first_name, last_name, ec, sc, custom)
        ON CONFLICT DO NOTHING
        RETURNING id, email, phone`,
  );
  const byEmail = new Map<string, number>();
  const byPhone = new Map<string, number>();
  for (const r of inserted) {
    if (r.email) byEmail.set(r.email, Number(r.id));
    else if (r.phone) byPhone.set(r.phone, Number(r.id));
  }
  for (const p of creates) {
    const id = p.values.email
      ? byEmail.get(p.values.email)
      : p.values.phone
        ? byPhone.get(p.values.phone)
        : undefined;
    if (id !== undefined) result.set(p.row.rowNo, id);
    else
      outcomes.set(p.row.rowNo, {
        outcome: 'failed',
        reason: 'conflict',
        label: [p.row.email, p.row.phone].filter(Boolean).join(' / ') || null,
        details: {
          row: p.row.rowNo,
          line: p.row.line,
          message: 'Another import or user created this contact meanwhile',
        },
      });
  }
  return result;
}

async function updateContacts(
  q: Queryable,
  accountId: AccountId,
  ctx: ChunkContext<ImportParams>,
  updates: Plan[],
) {
  if (!updates.length) return;
  await q.execute(
    sql`UPDATE contacts c SET email = u.email, phone = u.phone, first_name = u.first_name, last_name = u.last_name,
               email_consent = u.ec, sms_consent = u.sc, custom_fields = u.custom::jsonb,
               updated_at = ${ctx.now.toISOString()}::timestamptz, updated_by = ${ctx.action.createdBy}
        FROM unnest(${pgArray(updates.map((p) => p.row.contactId!))}::bigint[], ${pgArray(updates.map((p) => p.values.email))}::text[],
                    ${pgArray(updates.map((p) => p.values.phone))}::text[], ${pgArray(updates.map((p) => p.values.firstName))}::text[],
                    ${pgArray(updates.map((p) => p.values.lastName))}::text[], ${pgArray(updates.map((p) => p.values.emailConsent))}::text[],
                    ${pgArray(updates.map((p) => p.values.smsConsent))}::text[], ${pgArray(updates.map(customJson))}::text[])
          AS u(id, email, phone, first_name, last_name, ec, sc, custom)
        WHERE c.id = u.id AND c.account_id = ${accountId} AND c.deleted_at IS NULL`,
  );
}

/** Every consent an update withdrew (subscribed → unsubscribed) is an opt-out from source `import`. */
async function recordOptOuts(
  q: Queryable,
  accountId: AccountId,
  ctx: ChunkContext<ImportParams>,
  updates: Plan[],
) {
  const withdrawn = updates.flatMap((p) => [
    ...(p.row.cEmailConsent === 'subscribed' && p.values.emailConsent === 'unsubscribed'
      ? [{ contactId: p.row.contactId!, channel: 'email' }]
      : []),
    ...(p.row.cSmsConsent === 'subscribed' && p.values.smsConsent === 'unsubscribed'
      ? [{ contactId: p.row.contactId!, channel: 'sms' }]
      : []),
  ]);
  if (!withdrawn.length) return;
  await q.execute(
    sql`INSERT INTO opt_outs (account_id, contact_id, channel, source, created_at)
        SELECT ${accountId}, u.contact_id, u.channel, 'import', ${ctx.now.toISOString()}::timestamptz
        FROM unnest(${pgArray(withdrawn.map((w) => w.contactId))}::bigint[], ${pgArray(withdrawn.map((w) => w.channel))}::text[])
          AS u(contact_id, channel)`,
  );
}

/** Addresses whose consent cell said `bounced`: hard-bounced (reason `import`), as a bounce would. */
async function markBounced(q: Queryable, accountId: AccountId, plans: Plan[]) {
  const marks = plans.flatMap((p) => [
    ...(p.row.emailConsent === 'bounced' && p.values.email
      ? [{ channel: 'email' as const, address: addressKey('email', p.values.email) }]
      : []),
    ...(p.row.smsConsent === 'bounced' && p.values.phone
      ? [{ channel: 'sms' as const, address: addressKey('sms', p.values.phone) }]
      : []),
  ]);
  if (!marks.length) return;
  await q.execute(
    sql`INSERT INTO address_deliverability (account_id, channel, address, state, reason)
        SELECT DISTINCT ON (u.channel, u.address) ${accountId}, u.channel, u.address, 'hard_bounced', 'import'
        FROM unnest(${pgArray(marks.map((m) => m.channel))}::text[], ${pgArray(marks.map((m) => m.address))}::text[])
          AS u(channel, address)
        ON CONFLICT (account_id, channel, address) DO UPDATE SET state = 'hard_bounced', reason = 'import'
        WHERE address_deliverability.state NOT IN ('hard_bounced', 'complained')`,
  );
}

/**
 * The tags of each row's tags cell (created when the account lacks them) and the fixed tags and
 * lists, added where missing. A fixed tag or list deleted since the start fails the import.
 */
async function addTagsAndLists(
  q: Queryable,
  accountId: AccountId,
  settings: ImportSettings,
  done: { id: number; tags: string[] }[],
) {
  if (!done.length) return;
  const fixedTags = settings.fixedTagIds.map(Number);
  const lists = settings.listIds.map(Number);
  if (fixedTags.length) {
    const found = await rows<{ id: number }>(
      q,
      sql`SELECT id FROM tags WHERE account_id = ${accountId} AND id = ANY(${pgArray(fixedTags)}::bigint[])`,
    );
    const missing = fixedTags.find((t) => !found.some((f) => Number(f.id) === t));
    if (missing !== undefined)
      throw new PermanentFailure('target_deleted', { kind: 'tag', id: String(missing) });
  }
  if (lists.length) {
    const found = await rows<{ id: number }>(
      q,
      sql`SELECT id FROM subscriber_lists WHERE account_id = ${accountId} AND id = ANY(${pgArray(lists)}::bigint[])`,
    );
    const missing = lists.find((l) => !found.some((f) => Number(f.id) === l));
    if (missing !== undefined)
      throw new PermanentFailure('target_deleted', { kind: 'list', id: String(missing) });
  }
  const names = [...new Set(done.flatMap((d) => d.tags))];
  const tagIds = new Map<string, number>();
  if (names.length) {
    await q.execute(
      sql`INSERT INTO tags (account_id, name) SELECT ${accountId}, n FROM unnest(${pgArray(names)}::text[]) AS n ON CONFLICT DO NOTHING`,
    );
    const found = await rows<{ id: number; key: string }>(
      q,
      sql`SELECT id, lower(name) AS key FROM tags WHERE account_id = ${accountId} AND lower(name) = ANY(${pgArray(names.map((n) => n.toLowerCase()))}::text[])`,
    );
    for (const f of found) tagIds.set(f.key, Number(f.id));
  }
  const pairs = done.flatMap((d) => [
    ...fixedTags.map((t) => [d.id, t] as const),
    ...d.tags.flatMap((n) => {
      const t = tagIds.get(n.toLowerCase());
      return t === undefined ? [] : [[d.id, t] as const];
    }),
  ]);
  if (pairs.length)
    await q.execute(
      sql`INSERT INTO contact_tags (account_id, contact_id, tag_id)
          SELECT ${accountId}, u.c, u.t FROM unnest(${pgArray(pairs.map((p) => p[0]))}::bigint[], ${pgArray(pairs.map((p) => p[1]))}::bigint[]) AS u(c, t)
          ON CONFLICT DO NOTHING`,
    );
  if (lists.length)
    await q.execute(
      sql`INSERT INTO list_members (account_id, list_id, contact_id)
          SELECT ${accountId}, l, c FROM unnest(${pgArray(lists)}::bigint[]) AS l, unnest(${pgArray(done.map((d) => d.id))}::bigint[]) AS c
          ON CONFLICT DO NOTHING`,
    );
}
