// A bulk action type whose items are deliveries to the loopback HTTP server, for the delivery-type
// crash test: registered by the worker processes that run it and by the test process that starts
// it, from this one description, as a feature would register its own type.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { BulkTypeRegistry, ItemOutcome } from '../../src/server/engine/registry.ts';
import type { DeliveryKind } from '../../src/server/engine/delivery/delivery-kinds.ts';
import { deliveryChunk } from '../../src/server/engine/delivery-types.ts';
import type { Behaviour } from './loopback-http.ts';
import type { loopbackSubject } from './loopback-kind.ts';

export const LOOPBACK_BULK_TYPE = 'test_crash_ping';

/**
 * What becomes of item `n`: multiples of 10 have no address (skipped in the chunk, never sent);
 * otherwise 7, 14, … are refused (422), 5, 15, … fail twice with 500 before they go through, 37, 74,
 * … never answer within the kind's time limit, and the rest are accepted.
 */
export function itemBehaviour(n: number): Behaviour | 'skip' {
  if (n % 10 === 0) return 'skip';
  if (n % 7 === 0) return 'rejected';
  if (n % 5 === 0) return 'flaky';
  if (n % 37 === 0) return 'hang';
  return 'ok';
}

/** The key the loopback server sees for item `n` of action `actionId`. */
export const itemKey = (actionId: number, n: number): string => `${actionId}-${n}`;

/**
 * Registers the type: items 1..`upTo` (its source), each chunk adding one delivery of `kind` per
 * item that has an address. `chunkDelayMs` holds every chunk open that long, so that a test can
 * find chunks still being added while the first deliveries are out.
 */
export function registerLoopbackBulkType(
  types: BulkTypeRegistry,
  kind: DeliveryKind<typeof loopbackSubject>,
  options: { chunkDelayMs?: number } = {},
): void {
  types.register({
    type: LOOPBACK_BULK_TYPE,
    params: z.object({}),
    controls: ['pause', 'resume', 'cancel'],
    rights: ['contacts.bulk'],
    items: async (_q, _action, source) => {
      const { upTo } = z.object({ upTo: z.number().int() }).parse(source);
      return (after, limit) =>
        sql`SELECT g AS id, g AS key FROM generate_series(${after + 1}::bigint, ${upTo}::bigint) g ORDER BY g LIMIT ${limit}`;
    },
    chunk: deliveryChunk(kind, async (_q, ctx, subjects) => {
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
      const send = new Map<number, z.input<typeof loopbackSubject>>();
      const outcomes = new Map<number, ItemOutcome>();
      for (const n of subjects) {
        const behaviour = itemBehaviour(n);
        if (behaviour === 'skip') outcomes.set(n, { outcome: 'skipped', reason: 'no_address' });
        else send.set(n, { key: itemKey(ctx.action.id, n), behaviour });
      }
      return { send, outcomes };
    }),
    name: (_lang, n) => `Crash ping ${n}`,
  });
}
