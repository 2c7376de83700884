import { useRef } from 'react';
import { ApiError } from './api-client.ts';

/**
 * An `Idempotency-Key` for one create the user is making (see the bulk actions API): the same key
 * for every send of it — a double click, or a retry after the answer was lost on the network — so
 * the server does it once. After an answer that settled it (success, or a refusal the server forgot
 * the key for) the next create gets a new key.
 */
export function useIdempotencyKey(): { current(): string; settled(error?: unknown): void } {
  const key = useRef<string | null>(null);
  return {
    current() {
      key.current ??= newKey();
      return key.current;
    },
    settled(error?: unknown) {
      // Lost answers (network, 5xx) keep the key: the server may have done the work.
      const lost = error instanceof ApiError && (error.code === 'NETWORK' || error.status >= 500);
      if (!lost) key.current = null;
    },
  };
}

// getRandomValues works outside secure contexts too (crypto.randomUUID does not, e.g. over plain http).
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
