// SQL of imports: uploads, imports and their staged rows, and the contacts an import created.
// Mappings live in mappings.repo.ts. Every function takes the tenant transaction it runs in.
import { sql } from 'drizzle-orm';
import { pgArray } from '../../db/sql-arrays.ts';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { CustomValue } from '../../../shared/contacts.ts';
import {
  csvSettingsSchema,
  importSettingsSchema,
  type CsvSettings,
  type ImportSettings,
} from '../../../shared/imports.ts';
import { printable, type RowError, type StagedRow } from './row-validator.ts';

export interface UploadRow {
  id: number;
  accountId: number;
  fileName: string;
  storedName: string;
  size: number;
  sha256: string;
  encoding: string;
  delimiter: string;
  createdAt: string;
}

export async function insertUpload(
  q: Queryable,
  u: Omit<UploadRow, 'id' | 'createdAt'> & { createdBy: number | null; sourceId: number | null },
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO import_uploads (account_id, file_name, stored_name, size, sha256, encoding, delimiter, created_by, source_id)
        VALUES (${u.accountId}, ${u.fileName}, ${u.storedName}, ${u.size}, ${u.sha256}, ${u.encoding}, ${u.delimiter},
                ${u.createdBy}, ${u.sourceId}) RETURNING id`,
  );
  return Number(row!.id);
}

export async function findUpload(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<UploadRow | undefined> {
  const [row] = await rows<UploadRow>(
    q,
    sql`SELECT id, account_id AS "accountId", file_name AS "fileName", stored_name AS "storedName", size::float8 AS size,
               sha256, encoding, delimiter, created_at AS "createdAt"
        FROM import_uploads WHERE id = ${id} AND account_id = ${accountId}`,
  );
  return row && { ...row, id: Number(row.id), accountId: Number(row.accountId) };
}

export interface ImportRow {
  actionId: number;
  uploadId: number;
  dryRun: boolean;
  csv: CsvSettings;
  settings: ImportSettings;
  header: string[];
  stagedRows: number;
  staged: boolean;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicates: number;
}

export async function insertImport(
  q: Queryable,
  i: {
    actionId: number;
    accountId: AccountId;
    uploadId: number;
    dryRun: boolean;
    csv: CsvSettings;
    settings: ImportSettings;
  },
): Promise<void> {
  await q.execute(
    sql`INSERT INTO imports (action_id, account_id, upload_id, dry_run, csv, settings)
        VALUES (${i.actionId}, ${i.accountId}, ${i.uploadId}, ${i.dryRun}, ${JSON.stringify(i.csv)}::jsonb,
                ${JSON.stringify(i.settings)}::jsonb)`,
  );
}

export async function findImport(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
): Promise<ImportRow | undefined> {
  const [row] = await rows<ImportRow>(
    q,
    sql`SELECT action_id AS "actionId", upload_id AS "uploadId", dry_run AS "dryRun", csv, settings, header,
               staged_rows AS "stagedRows", staged, created, updated, unchanged, invalid, duplicates
        FROM imports WHERE action_id = ${actionId} AND account_id = ${accountId}`,
  );
  if (!row) return undefined;
  return {
    ...row,
    actionId: Number(row.actionId),
    uploadId: Number(row.uploadId),
    csv: csvSettingsSchema.parse(row.csv),
    settings: importSettingsSchema.parse(row.settings),
  };
}

export async function setHeader(q: Queryable, actionId: number, header: readonly string[]): Promise<void> {
  await q.execute(
    sql`UPDATE imports SET header = ${JSON.stringify(header.map(printable))}::jsonb WHERE action_id = ${actionId}`,
  );
}

export async function advanceStaging(
  q: Queryable,
  actionId: number,
  by: { stagedRows: number; invalid: number; duplicates: number },
): Promise<void> {
  await q.execute(
    sql`UPDATE imports SET staged_rows = ${by.stagedRows}, invalid = invalid + ${by.invalid},
               duplicates = duplicates + ${by.duplicates}
        WHERE action_id = ${actionId}`,
  );
}

export async function finishStaging(q: Queryable, actionId: number): Promise<void> {
  await q.execute(sql`UPDATE imports SET staged = true WHERE action_id = ${actionId}`);
}

export async function addCounts(
  q: Queryable,
  actionId: number,
  by: { created: number; updated: number; unchanged: number },
): Promise<void> {
  await q.execute(
    sql`UPDATE imports SET created = created + ${by.created}, updated = updated + ${by.updated},
               unchanged = unchanged + ${by.unchanged}
        WHERE action_id = ${actionId}`,
  );
}

const textArray = (values: (string | null)[]) => sql`${pgArray(values)}::text[]`;

/** One statement per batch: the staged rows as parallel arrays. */
export async function insertStagedRows(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  staged: readonly StagedRow[],
): Promise<void> {
  const col = <T>(f: (r: StagedRow) => T) => staged.map(f);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await q.execute(sql`
    INSERT INTO import_rows (account_id, action_id, row_no, line, email, email_key, phone, first_name, last_name,
                             email_consent, sms_consent, custom, tags, error)
    SELECT ${accountId}, ${actionId}, u.row_no, u.line, u.email, CASE WHEN u.error IS NULL THEN u.email END, u.phone,
           u.first_name, u.last_name, u.email_consent, u.sms_consent, u.custom::jsonb,
           u.tags::text[],
           u.error::jsonb
    FROM unnest(${pgArray(col((r) => r.rowNo))}::int[], ${pgArray(col((r) => r.line))}::int[], ${textArray(col((r) => r.email))},
                ${textArray(col((r) => r.phone))}, ${textArray(col((r) => r.firstName))}, ${textArray(col((r) => r.lastName))},
                ${textArray(col((r) => r.emailConsent))}, ${textArray(col((r) => r.smsConsent))},
                ${textArray(col((r) => json(r.custom)))}, ${textArray(col((r) => (r.tags === null ? null : pgArray(r.tags))))},
                ${textArray(col((r) => json(r.error)))})
      AS u(row_no, line, email, phone, first_name, last_name, email_consent, sms_consent, custom, tags, error)`);
}

/**
 * Marks each valid row of [from, to] that repeats the email or phone of an earlier valid row with
 * that row's number (the first wins). Answers how many it marked.
 */
export async function markDuplicates(
  q: Queryable,
  actionId: number,
  from: number,
  to: number,
): Promise<number> {
  const marked = await rows<{ n: number }>(
    q,
    // MATERIALIZED: inlined into the UPDATE, the planner re-ran the probes for every row it
    // updated (10,000 × 10,000 probes per batch); computed once, it is one pass and a merge join.
    sql`WITH d AS MATERIALIZED (
          SELECT n.row_no, LEAST(
            (SELECT min(p.row_no) FROM import_rows p WHERE p.action_id = ${actionId} AND p.email_key = n.email_key
               AND p.row_no < n.row_no),
            (SELECT min(p.row_no) FROM import_rows p WHERE p.action_id = ${actionId} AND p.phone = n.phone
               AND p.row_no < n.row_no AND p.error IS NULL)) AS first
          FROM import_rows n
          WHERE n.action_id = ${actionId} AND n.row_no BETWEEN ${from} AND ${to} AND n.error IS NULL),
        marked AS (
          UPDATE import_rows r SET dup_of = d.first FROM d
          WHERE d.first IS NOT NULL AND r.action_id = ${actionId} AND r.row_no = d.row_no RETURNING 1)
        SELECT count(*)::int AS n FROM marked`,
  );
  return Number(marked[0]?.n ?? 0);
}

/** A staged row with the live contact it matches (null columns when none). */
export interface MergeRow {
  rowNo: number;
  line: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  emailConsent: string | null;
  smsConsent: string | null;
  custom: Record<string, CustomValue> | null;
  tags: string[] | null;
  error: RowError | null;
  dupOf: number | null;
  contactId: number | null;
  cEmail: string | null;
  cPhone: string | null;
  cFirstName: string | null;
  cLastName: string | null;
  cEmailConsent: string | null;
  cSmsConsent: string | null;
  cCustom: Record<string, CustomValue> | null;
}

/** The staged rows of a chunk, each with the live contact it matches by `matchBy`. */
export async function chunkRows(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  rowNos: readonly number[],
  matchBy: 'email' | 'phone',
): Promise<MergeRow[]> {
  const on =
    matchBy === 'email'
      ? sql`c.sort_email = r.email_key AND r.email_key IS NOT NULL`
      : sql`c.phone = r.phone AND r.phone IS NOT NULL AND r.error IS NULL`;
  const found = await rows<MergeRow>(
    q,
    sql`SELECT r.row_no AS "rowNo", r.line, r.email, r.phone, r.first_name AS "firstName", r.last_name AS "lastName",
               r.email_consent AS "emailConsent", r.sms_consent AS "smsConsent", r.custom, r.tags, r.error,
               r.dup_of AS "dupOf", c.id AS "contactId", c.email AS "cEmail", c.phone AS "cPhone",
               c.first_name AS "cFirstName", c.last_name AS "cLastName", c.email_consent AS "cEmailConsent",
               c.sms_consent AS "cSmsConsent", c.custom_fields AS "cCustom"
        FROM import_rows r
        LEFT JOIN contacts c ON c.account_id = ${accountId} AND c.deleted_at IS NULL AND ${on}
        WHERE r.action_id = ${actionId} AND r.row_no = ANY(${pgArray([...rowNos])}::int[])
        ORDER BY r.row_no`,
  );
  return found.map((r) => ({ ...r, contactId: r.contactId === null ? null : Number(r.contactId) }));
}

/** Live contacts holding any of these emails or phones: key → contact id. */
export async function holders(
  q: Queryable,
  accountId: AccountId,
  emails: readonly string[],
  phones: readonly string[],
): Promise<{ emails: Map<string, number>; phones: Map<string, number> }> {
  const found = await rows<{ id: number; email: string; phone: string | null }>(
    q,
    sql`SELECT id, sort_email AS email, phone FROM contacts
        WHERE account_id = ${accountId} AND deleted_at IS NULL
          AND (sort_email = ANY(${pgArray([...emails])}::text[]) OR phone = ANY(${pgArray([...phones])}::text[]))`,
  );
  const result = { emails: new Map<string, number>(), phones: new Map<string, number>() };
  for (const f of found) {
    if (f.email) result.emails.set(f.email, Number(f.id));
    if (f.phone) result.phones.set(f.phone, Number(f.id));
  }
  return result;
}

/** Records the contacts a chunk created (what "Undo import" deletes). */
export async function recordCreated(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  firstRow: number,
  contactIds: readonly number[],
): Promise<void> {
  if (!contactIds.length) return;
  await q.execute(
    sql`INSERT INTO import_created (account_id, action_id, first_row, contact_ids)
        VALUES (${accountId}, ${actionId}, ${firstRow}, ${pgArray([...contactIds])}::bigint[])`,
  );
}

/** The staged rows are only needed while the import runs. */
export async function dropStagedRows(q: Queryable, actionId: number): Promise<void> {
  await q.execute(sql`DELETE FROM import_rows WHERE action_id = ${actionId}`);
}

/** Live contacts an import created, by id, as an item source (undo: the delete it queues). */
export function createdItems(actionId: number) {
  return (after: number, limit: number) =>
    sql`SELECT c.id, c.id AS key FROM contacts c
        WHERE c.id IN (SELECT unnest(contact_ids) FROM import_created WHERE action_id = ${actionId})
          AND c.deleted_at IS NULL AND c.id > ${after}
        ORDER BY c.id LIMIT ${limit}`;
}

/** What undo would delete and what it leaves: created and still live, created but already deleted. */
export async function undoCounts(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
): Promise<{ live: number; deleted: number }> {
  const [row] = await rows<{ live: number; deleted: number }>(
    q,
    sql`SELECT count(*) FILTER (WHERE c.deleted_at IS NULL)::int AS live,
               count(*) FILTER (WHERE c.deleted_at IS NOT NULL OR c.id IS NULL)::int AS deleted
        FROM (SELECT unnest(contact_ids) AS id FROM import_created WHERE action_id = ${actionId} AND account_id = ${accountId}) x
        LEFT JOIN contacts c ON c.id = x.id`,
  );
  return { live: Number(row?.live ?? 0), deleted: Number(row?.deleted ?? 0) };
}
