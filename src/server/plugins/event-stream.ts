import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 3_000;

/** A server-sent-events response: named events with JSON data, an optional id (the resume cursor). */
export interface EventStream {
  send(event: string, data: unknown, id?: number): void;
  readonly closed: boolean;
  /** Runs when the client goes away (EventSource reconnects by itself after `retry`). */
  onClose(cleanup: () => void): void;
  /** Ends the stream from the server side (e.g. the session ended): the reconnect then gets a 401. */
  end(): void;
}

/**
 * Takes the response over for an event stream: headers that keep proxies from buffering, the
 * reconnect delay, and a comment every 15 s so idle connections are not cut.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  reply.raw.write(`retry: ${RETRY_MS}\n\n`);
  const cleanups: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => reply.raw.write(': ping\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  request.raw.on('close', close);
  reply.raw.on('close', close);
  // The client may have gone while the route was still awaiting its first queries.
  if (request.raw.destroyed || reply.raw.destroyed) close();
  return {
    send(event, data, id) {
      if (closed) return;
      reply.raw.write(
        `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
    },
    get closed() {
      return closed;
    },
    end() {
      reply.raw.end();
      close();
    },
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
  };
}
