import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import {
  filterGroupSchema,
  type FilterGroup,
  type Selection,
  type SelectionPreview,
} from '../../../shared/contacts.ts';
import { compileFilter, likeEscape, referencedIds } from '../smart-lists/filter-compiler.ts';
import { looksLikePhone, phoneFragment, textKey } from '../../../shared/normalize.ts';
import { findSmartList } from '../smart-lists/smart-lists.repo.ts';
import { existingListIds, existingTagIds, fieldTypes } from '../contacts/catalog.repo.ts';
import {
  countContacts,
  findContactsByIds,
  liveContacts,
  nextIds,
  pageContacts,
} from '../contacts/contacts.repo.ts';
import { toContact } from '../contacts/contact-mapper.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import { validationError } from '../contacts/contact-input.ts';

/**
 * Turns the ways users pick contacts (ids, a SmartList, a filter, a search; minus exclusions) into
 * one SQL predicate over live contacts of one account. Bulk actions, the contacts list and previews
 * all use it, so "what matches" means the same everywhere.
 */
export class SelectionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Compiles a filter after checking it against the account's fields, tags and lists. */
  async compile(q: Queryable, accountId: AccountId, filter: FilterGroup): Promise<SQL> {
    const refs = referencedIds(filter);
    // One after another: `q` is often a transaction, one connection that runs one query at a time
    // (node-postgres deprecates queueing queries on a busy client).
    const customFields = await fieldTypes(q, accountId);
    const tagIds = await existingTagIds(q, accountId, refs.tagIds.map(Number));
    const listIds = await existingListIds(q, accountId, refs.listIds.map(Number));
    const timeZone = await findTimeZone(q, accountId);
    return compileFilter(filter, { customFields, tagIds, listIds, now: this.clock.now(), timeZone });
  }

  /**
   * The one check of a filter, on save and on use: its shape (depth, sizes, values: see
   * filterGroupSchema), then its references against the account. Takes what was sent or stored as
   * is; problems are a 400 VALIDATION_FAILED whose fields start with `field`.
   */
  async checkFilter(q: Queryable, accountId: AccountId, raw: unknown, field = 'filter'): Promise<SQL> {
    const parsed = filterGroupSchema.safeParse(raw);
    if (!parsed.success) {
      throw validationError(
        parsed.error.issues.map((i) => ({ field: [field, ...i.path].join('.'), message: i.message })),
      );
    }
    return this.compile(q, accountId, parsed.data);
  }

  /**
   * The predicate of a saved SmartList. A stored filter may have become invalid (saved before a
   * rule was tightened, or a reference changed since): that is a 400 SMART_LIST_INVALID naming the
   * problems, so count, list, preview and bulk actions refuse it cleanly instead of failing.
   */
  async compileSmartList(q: Queryable, accountId: AccountId, smartListId: number): Promise<SQL> {
    const list = await findSmartList(q, accountId, smartListId);
    if (!list) throw new AppError('NOT_FOUND', 'SmartList not found');
    try {
      return await this.checkFilter(q, accountId, list.filter);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
        const { fields } = (err.details ?? {}) as { fields?: unknown };
        throw new AppError(
          'SMART_LIST_INVALID',
          `The filter of SmartList '${list.name}' is not valid any more`,
          {
            smartListId: String(smartListId),
            fields,
          },
        );
      }
      throw err;
    }
  }

  /**
   * The full predicate of a selection, including the account and "not deleted". Every id the
   * selection names must be a live contact of this account: ids of another account, unknown or
   * deleted ones answer 404 NOT_FOUND listing them (details.ids), never a silently smaller selection.
   * `excludeIds` are the exception: excluding a contact that is not there changes nothing, and the
   * contact a user excluded may have been deleted meanwhile, so unknown exclusions are ignored.
   */
  async predicate(q: Queryable, accountId: AccountId, selection: Selection): Promise<SQL> {
    const parts: SQL[] = [liveContacts(accountId)];
    if ('contactIds' in selection) {
      await assertLiveContacts(q, accountId, selection.contactIds);
      parts.push(sql`c.id = ANY(${idArray(selection.contactIds)}::bigint[])`);
    } else if ('smartListId' in selection) {
      parts.push(await this.compileSmartList(q, accountId, Number(selection.smartListId)));
      if (selection.search) parts.push(searchPredicate(selection.search));
    } else {
      parts.push(await this.compile(q, accountId, selection.filter));
      if (selection.search) parts.push(searchPredicate(selection.search));
    }
    if (selection.excludeIds?.length)
      parts.push(sql`NOT (c.id = ANY(${idArray(selection.excludeIds)}::bigint[]))`);
    return sql.join(parts, sql` AND `);
  }

  /** The exact count and a sample, for "this will affect N contacts" before anything runs. */
  async preview(accountId: AccountId, selection: Selection, sampleSize = 10): Promise<SelectionPreview> {
    return withTenant(this.db, accountId, async (tx) => {
      const where = await this.predicate(tx, accountId, selection);
      const count = await countContacts(tx, where);
      const sample = sampleSize > 0 ? await pageContacts(tx, where, 'id', 'asc', null, sampleSize) : [];
      return { count, sample: sample.map(toContact) };
    });
  }

  /**
   * Streams the ids of a selection in id order, `batchSize` at a time, with a keyset query per
   * batch: memory stays flat whether the selection holds ten contacts or a million.
   */
  async *streamIds(accountId: AccountId, selection: Selection, batchSize = 5_000): AsyncGenerator<number[]> {
    const where = await withTenant(this.db, accountId, (tx) => this.predicate(tx, accountId, selection));
    let after = 0;
    for (;;) {
      const ids = await withTenant(this.db, accountId, (tx) => nextIds(tx, where, after, batchSize));
      if (ids.length === 0) return;
      yield ids;
      after = ids[ids.length - 1]!;
      if (ids.length < batchSize) return;
    }
  }

  async contactsByIds(accountId: AccountId, ids: number[]) {
    return withTenant(this.db, accountId, async (tx) =>
      (await findContactsByIds(tx, accountId, ids)).map(toContact),
    );
  }
}

const idArray = (ids: readonly string[]): string => `{${ids.map(Number).join(',')}}`;

/** At most this many unknown ids are listed in the 404's details (`unknownCount` says how many in all). */
const UNKNOWN_IDS_LISTED = 100;

async function assertLiveContacts(q: Queryable, accountId: AccountId, ids: readonly string[]): Promise<void> {
  const unknown = await rows<{ id: string }>(
    q,
    sql`SELECT x.id::text AS id FROM unnest(${idArray(ids)}::bigint[]) AS x(id)
        WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = x.id AND ${liveContacts(accountId)})
        GROUP BY x.id ORDER BY x.id`,
  );
  if (unknown.length === 0) return;
  throw new AppError(
    'NOT_FOUND',
    `${unknown.length === 1 ? 'A contact was' : `${unknown.length} contacts were`} not found in this account`,
    { ids: unknown.slice(0, UNKNOWN_IDS_LISTED).map((r) => String(r.id)), unknownCount: unknown.length },
  );
}

/** The smallest string greater than every string starting with `prefix` (byte order). */
function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

/**
 * Search by name, email or phone: prefix ranges over the lower-cased, byte-ordered key columns
 * (index range scans at a million contacts, also under row-level security); "anna mül" matches
 * first name "Anna…" and last name "Mül…". The term goes through the same normalisers as stored
 * values (NFC, lower case; phones to E.164), so what a user types finds what was saved.
 */
export function searchPredicate(term: string): SQL {
  const key = textKey(term);
  if (key === '') return sql`TRUE`;
  const starts = (column: SQL, w: string) => sql`(${column} >= ${w} AND ${column} < ${prefixEnd(w)})`;
  // A number-like term ("030 3861682", "+49 30 3861682", "0049 30 …") is one phone number, not
  // words: the whole number when it parses, else its E.164 fragment anywhere in the number.
  if (looksLikePhone(key)) {
    const fragment = phoneFragment(key);
    const digits = key.replace(/\D/g, '');
    const parts = [
      sql`c.phone LIKE ${`%${likeEscape(fragment.value)}%`}`,
      // Also the typed digits as they are: a part of the number from its middle.
      sql`c.phone LIKE ${`%${digits}%`}`,
    ];
    if (!key.includes(' ')) parts.push(starts(sql`c.sort_email`, key));
    return sql`(${sql.join(parts, sql` OR `)})`;
  }
  const words = key.split(/\s+/).filter(Boolean);
  if (words.length >= 2) {
    const [first, ...rest] = words;
    const last = rest.join(' ');
    return sql`((${starts(sql`c.sort_first_name`, first!)} AND ${starts(sql`c.sort_last_name`, last)})
      OR (${starts(sql`c.sort_last_name`, first!)} AND ${starts(sql`c.sort_first_name`, last)})
      OR ${starts(sql`c.sort_last_name`, key)} OR ${starts(sql`c.sort_first_name`, key)})`;
  }
  const w = words[0]!;
  return sql`(${starts(sql`c.sort_email`, w)} OR ${starts(sql`c.sort_first_name`, w)} OR ${starts(sql`c.sort_last_name`, w)})`;
}
