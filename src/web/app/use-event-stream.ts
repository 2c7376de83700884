import { useEffect, useEffectEvent, useState } from 'react';
import type { z } from 'zod';
import { reopenDelayMs } from './reopen-delay.ts';

/** The named events a stream sends, each with the schema its JSON data must match. */
export type EventSchemas = Record<string, z.ZodType>;

/** One handler per named event, receiving the parsed data. */
export type EventHandlers<S extends EventSchemas> = { [K in keyof S]: (data: z.output<S[K]>) => void };

export interface EventStreamOptions<S extends EventSchemas> {
  /**
   * Where to connect. Receives the id of the last event seen (null before the first): within one
   * EventSource the browser resends it as Last-Event-ID by itself, but a stream reopened after an
   * error answer is a new EventSource, so a resumable stream puts the id into its address here.
   * Reconnects when the returned address changes for `null`, i.e. when the stream itself changes.
   */
  url: (lastEventId: string | null) => string;
  /** The events to listen to. Keep the object stable (a module constant): it is read once per connection. */
  events: S;
  /** Handlers per event; they may change every render, the latest one is called. */
  on: EventHandlers<S>;
  /** Called on every (re)connect, before the events of that connection. */
  onConnect?: () => void;
}

/**
 * Follows a server-sent event stream for as long as the component is mounted and returns whether
 * it is open. Events whose data is not JSON or does not match their schema are dropped (an older
 * tab meeting a newer server must not crash). EventSource reconnects by itself after a dropped
 * connection, but gives up after an error answer (a 401, a 503 during a deploy); then this hook
 * opens a new one after a pause that grows with each failed attempt, and resets once connected.
 */
export function useEventStream<S extends EventSchemas>({
  url,
  events,
  on,
  onConnect,
}: EventStreamOptions<S>): boolean {
  const [connected, setConnected] = useState(false);
  const address = url(null);

  const connect = useEffectEvent(() => onConnect?.());
  const deliver = useEffectEvent((name: keyof S, data: unknown) => {
    const parsed = events[name]?.safeParse(data);
    if (parsed?.success) on[name](parsed.data as z.output<S[keyof S]>);
  });
  const addressFor = useEffectEvent((lastEventId: string | null) => url(lastEventId));

  useEffect(() => {
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let failures = 0;
    let lastEventId: string | null = null;

    const open = () => {
      const current = new EventSource(addressFor(lastEventId), { withCredentials: true });
      source = current;
      current.addEventListener('open', () => {
        failures = 0;
        setConnected(true);
        connect();
      });
      for (const name of Object.keys(events)) {
        current.addEventListener(name, (event) => {
          const message = event as MessageEvent<unknown>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          deliver(name, parseJson(message));
        });
      }
      current.addEventListener('error', () => {
        setConnected(false);
        if (current.readyState === EventSource.CLOSED && !stopped) {
          reopen = setTimeout(open, reopenDelayMs(failures++));
        }
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
      setConnected(false);
    };
  }, [address, events]);

  return connected;
}

function parseJson(event: MessageEvent<unknown>): unknown {
  if (typeof event.data !== 'string') return undefined;
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}
