import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../db/types.ts';

export const BULK_CHANNEL = 'herald_bulk';

/**
 * Tells every API process that an action changed (delivered on commit when `q` is a transaction).
 * The payload carries ids only: listeners read the current row.
 */
export async function notifyBulkChange(q: Queryable, accountId: number, actionId: number): Promise<void> {
  await q.execute(sql`SELECT pg_notify(${BULK_CHANNEL}, ${JSON.stringify({ accountId, actionId })})`);
}

type Listener = (actionId: number) => void;

/**
 * Fans bulk-action changes out to the SSE streams of this process. Workers (in any process)
 * `pg_notify` on every committed change; each API process holds one LISTEN and dispatches by
 * account. Notifications carry only ids: streams read the current row, so a missed or repeated
 * message never leaves a client with a wrong state.
 */
export class BulkEventHub {
  private readonly listeners = new Map<number, Set<Listener>>();
  private unlisten: Promise<() => Promise<void>> | undefined;

  constructor(private readonly database: Database) {}

  async subscribe(accountId: number, listener: Listener): Promise<() => void> {
    this.unlisten ??= this.database.listen(BULK_CHANNEL, (payload) => this.dispatch(payload));
    await this.unlisten;
    let set = this.listeners.get(accountId);
    if (!set) this.listeners.set(accountId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(accountId);
    };
  }

  private dispatch(payload: string): void {
    try {
      const { accountId, actionId } = JSON.parse(payload) as { accountId: number; actionId: number };
      for (const listener of this.listeners.get(Number(accountId)) ?? []) listener(Number(actionId));
    } catch {
      // not ours
    }
  }

  async close(): Promise<void> {
    const unlisten = await this.unlisten;
    await unlisten?.();
  }
}
