import type { Db } from '../db/types.ts';
import { withTenant, type AccountId } from '../db/tenant.ts';
import { AppError } from '../errors.ts';
import type { Language } from '../../shared/auth.ts';
import type { BulkStats } from '../../shared/bulk-actions.ts';
import { ERROR_LOG_TEXTS } from '../../shared/bulk-error-log-texts.ts';
import * as repo from './actions.repo.ts';
import { outcomesPage, reasonCounts } from './outcomes.repo.ts';
import { reasonLabel } from './reasons.ts';
import type { BulkTypeRegistry } from './registry.ts';

const CSV_PAGE = 5_000;

/**
 * A spreadsheet cell that cannot run as a formula: cells starting with = + - @ or a control
 * character get a leading apostrophe; quotes, commas and newlines are quoted.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * An outcome's details as one compact cell: `key=value; key=value` in key order (jsonb does not
 * keep the order they were written in), nested values as JSON, null values left out, line breaks
 * as spaces; empty when there are none. For reading, not for parsing back.
 */
export function detailsText(details: Record<string, unknown> | null): string {
  if (details === null) return '';
  return Object.keys(details)
    .sort()
    .flatMap((key) => {
      const value = details[key];
      if (value === null || value === undefined) return [];
      // jsonb holds strings, numbers, booleans, arrays and objects only.
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return [`${key}=${text}`.replace(/[\r\n]+/g, ' ')];
    })
    .join('; ');
}

/** Stats, error log and audit trail of bulk actions. */
export class BulkReportsService {
  constructor(
    private readonly db: Db,
    private readonly types: BulkTypeRegistry,
  ) {}

  /** Counters, duration, throughput and the reasons grouped, their labels in `language`. */
  async stats(accountId: AccountId, id: number, language: Language): Promise<BulkStats> {
    return withTenant(this.db, accountId, async (tx) => {
      const row = await repo.findAction(tx, accountId, id);
      if (!row) throw new AppError('NOT_FOUND', 'Bulk action not found');
      const end = row.finishedAt ? Date.parse(row.finishedAt) : Date.now();
      const durationMs = row.startedAt ? Math.max(0, end - Date.parse(row.startedAt)) : null;
      return {
        total: row.total,
        processed: row.processed,
        succeeded: row.succeeded,
        failed: row.failed,
        skipped: row.skipped,
        durationMs,
        throughputPerSecond: durationMs ? Math.round((row.processed / durationMs) * 1000 * 10) / 10 : null,
        reasons: (await reasonCounts(tx, accountId, id)).map((r) => ({
          outcome: r.outcome,
          reason: r.reason,
          label: reasonLabel(this.types, row.type, r.reason, language),
          count: r.count,
        })),
      };
    });
  }

  /**
   * The error log as CSV lines in the reader's language (headers, outcomes, and reason labels from
   * the action's type), with each outcome's details in one cell and the raw reason code in the
   * last column, streamed a page at a time (keyset by subject id).
   */
  async *errorsCsv(accountId: AccountId, id: number, language: Language): AsyncGenerator<string> {
    const action = await withTenant(this.db, accountId, (tx) => repo.findAction(tx, accountId, id));
    if (!action) throw new AppError('NOT_FOUND', 'Bulk action not found');
    const texts = ERROR_LOG_TEXTS[language];
    yield texts.headers.map(csvCell).join(',') + '\n';
    let after = 0;
    for (;;) {
      const page = await withTenant(this.db, accountId, (tx) =>
        outcomesPage(tx, accountId, id, after, CSV_PAGE),
      );
      if (page.length === 0) return;
      yield (
        page
          .map((o) =>
            [
              o.subjectId,
              o.label,
              o.outcome === 'failed' || o.outcome === 'skipped' ? texts.outcomes[o.outcome] : o.outcome,
              reasonLabel(this.types, action.type, o.reason, language),
              detailsText(o.details),
              o.reason,
            ]
              .map(csvCell)
              .join(','),
          )
          .join('\n') + '\n'
      );
      after = Number(page.at(-1)!.subjectId);
      if (page.length < CSV_PAGE) return;
    }
  }

  async audit(accountId: AccountId, id: number) {
    return withTenant(this.db, accountId, async (tx) => {
      if (!(await repo.findAction(tx, accountId, id)))
        throw new AppError('NOT_FOUND', 'Bulk action not found');
      const entries = await repo.listAudit(tx, accountId, id);
      return entries.map((e) => ({
        at: e.at,
        event: e.event,
        user: e.userId === null ? null : { id: String(e.userId), name: e.userName ?? '' },
        details: e.details,
      }));
    });
  }
}
