// The bulk engine's type registry. A feature describes each of its bulk action types once (what
// its parameters are, which controls it offers, which rights a change of it needs, where its items
// come from, what one chunk does, what undo/retry/restore derive, how it and its reasons are
// named) and registers it from its own folder; the engine runs any registered type without knowing it.
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Queryable } from '../db/types.ts';
import type { Language } from '../../shared/auth.ts';
import type { BulkControl, DerivingControl } from '../../shared/bulk-actions.ts';
import type { Right } from '../../shared/rights.ts';
import type { BulkActionRow } from './actions.repo.ts';
import type { ReasonCatalog } from './reasons.ts';

/** Why one item was not changed: failed or skipped, a stable reason code, and what the error log shows. */
export interface ItemOutcome {
  outcome: 'failed' | 'skipped';
  reason: string;
  /** What the error log shows for the subject (an email or phone, a file row, an account name). */
  label?: string | null;
  /** Extra columns its type needs (a file row's number and column, a recipient address, …). */
  details?: Record<string, unknown>;
}

/** What a chunk handler gets: the action (its params parsed by the type's schema) and the chunk's time. */
export interface ChunkContext<P> {
  action: BulkActionRow;
  params: P;
  now: Date;
  /** The sequence number of the chunk's first subject (the others follow in order). */
  firstSeq: number;
}

/**
 * A chunk: changes the database for `subjects` inside the engine's chunk transaction `q` and says
 * what became of each subject. Subjects it does not name in `outcomes` succeeded, except the
 * `deferred` ones: a delivery type's chunk only adds them to the outbox (delivery-types.ts), and
 * each counts when its delivery is final. Throw `PermanentFailure` (failures.ts) when the action
 * cannot go on at all (its target vanished).
 */
export type ChunkHandler<P> = (
  q: Queryable,
  ctx: ChunkContext<P>,
  subjects: readonly number[],
) => Promise<{ outcomes: Map<number, ItemOutcome>; deferred?: number }>;

/**
 * The items of an action, as SQL yielding `(id, key)` rows ordered by `key`: the next `limit`
 * subjects after position `afterKey`. Bounded by `maxSubject` (the highest subject when the freeze
 * began) where the type's subjects can grow meanwhile.
 */
export type ItemSource = (afterKey: number, limit: number) => SQL;

/** What a deriving control (restore, retry failed, undo) makes of an action of this type. */
export interface Derivation<P> {
  /** The type of the new action. */
  type: string;
  /** Its parameters, from the source action's (`sourceName`: the source's name as the caller reads it). */
  params(source: BulkActionRow, sourceParams: P, context: { sourceName: string }): Record<string, unknown>;
  /**
   * Its items, when not the engine's default (retry: the source's failed items; undo: the items
   * it changed). A restore, which only its type can know, must give them.
   */
  items?: (source: BulkActionRow) => ItemSource;
  /** How many items it would take, for its confirmation (restore's preview). */
  count?: (q: Queryable, source: BulkActionRow) => Promise<number>;
}

/**
 * What a type's `stage` step gets: the database (it opens its own short transactions) and a
 * heartbeat to call between its steps. The heartbeat renews the action's lease and answers false
 * when the action was cancelled or another worker owns it: the step must then stop at once.
 */
export interface StageContext {
  db: Db;
  action: BulkActionRow;
  source: unknown;
  heartbeat(): Promise<boolean>;
}

/** Everything the engine needs to know about one bulk action type. */
export interface BulkTypeSpec<P = Record<string, unknown>> {
  type: string;
  /** The parameters stored with each action (`bulk_actions.params`). */
  params: z.ZodType<P>;
  /** Controls the type offers at all (pause, cancel, undo, …); state and rights decide per action. */
  controls: readonly BulkControl[];
  /** The rights a change of this type needs (starting, controlling, or deriving one of this type). */
  rights: readonly Right[];
  /**
   * Where the items of an action started from `source` (the JSON its feature stored at creation)
   * come from. Runs in the freeze's tenant transaction.
   */
  items(q: Queryable, action: BulkActionRow, source: unknown): Promise<ItemSource>;
  /**
   * Work before the freeze, outside any one transaction, for types whose items must be made first
   * (an import parses its file into staged rows). Runs while the action is `preparing`, again after
   * a crash, so it must resume or redo its work without effect on anything but its own staging.
   * Throw `PermanentFailure` when the source cannot be used at all (the file is unreadable).
   */
  stage?(ctx: StageContext): Promise<void>;
  /** Type-specific state rule for a control (a dry run offers no undo); absent: the engine's rules alone. */
  allows?(row: BulkActionRow, control: BulkControl): boolean;
  /** The highest subject id now (items above it are never frozen), or null when not needed. */
  maxSubject?(q: Queryable): Promise<number | null>;
  /** One chunk of work (a transactional chunk: database changes only). */
  chunk: ChunkHandler<P>;
  /** What restore, retry failed and undo of an action of this type create (absent: not offered). */
  derive?: Partial<Record<DerivingControl, Derivation<P>>>;
  /** The generated name, in `lang`, for `count` items. */
  name(lang: Language, count: number, params: P): string;
  /**
   * The words (English and German) for the reason codes its outcomes use, shown on the stats page
   * and in the error log (`reasons.ts`). Codes the engine writes itself need none; a code left
   * out reads "Other reason (code)".
   */
  reasons?: ReasonCatalog;
  /**
   * Tables whose planner statistics this type's chunks depend on while it changes them a lot (a
   * restore probes live contacts while their number grows from none): the runner ANALYZEs them
   * before its first chunk and every `STATISTICS_EVERY_ITEMS` items (runner.ts).
   */
  statistics?: readonly string[];
  /**
   * Runs in the transaction that ends the action (`completed`, also with 0 items, or `cancelled`):
   * e.g. open a restore window. `action` is the row as it was before the end. Answer `'notified'`
   * when the type told the users itself (a mailing's `mailing.send_failed`): the engine then raises
   * no `bulk_action.finished_with_errors` for it.
   */
  onEnded?(
    q: Queryable,
    action: BulkActionRow,
    now: Date,
    ending: 'completed' | 'cancelled',
  ): Promise<void | 'notified'>;
  /**
   * Runs in the transaction that fails the action (a permanent failure or a step that kept
   * failing), before the engine's `bulk_action.failed`; `'notified'` suppresses that notification.
   */
  onFailed?(q: Queryable, action: BulkActionRow, reason: string, now: Date): Promise<void | 'notified'>;
}

/**
 * The registered bulk action types. Each feature registers its own (`modules/contacts/contact-bulk-types.ts`);
 * tests may register more. Registering a type twice replaces it (a process builds its services once).
 */
export class BulkTypeRegistry {
  private readonly types = new Map<string, BulkTypeSpec<never>>();

  register<P>(spec: BulkTypeSpec<P>): void {
    this.types.set(spec.type, spec as unknown as BulkTypeSpec<never>);
  }

  /** The type's spec; throws for a type no feature registered (a row of a removed type, say). */
  get(type: string): BulkTypeSpec<Record<string, unknown>> {
    const spec = this.types.get(type);
    if (!spec) throw new Error(`Bulk action type '${type}' is not registered`);
    return spec as unknown as BulkTypeSpec<Record<string, unknown>>;
  }

  find(type: string): BulkTypeSpec<Record<string, unknown>> | undefined {
    return this.types.get(type) as BulkTypeSpec<Record<string, unknown>> | undefined;
  }
}
