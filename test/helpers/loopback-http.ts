import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the loopback server answers a delivery, by the `behaviour` in its body. */
export type Behaviour =
  /** 200 (after `okDelayMs`). */
  | 'ok'
  /** 500 twice, then 200. */
  | 'flaky'
  /** 500 always. */
  | 'broken'
  /** 429 with `Retry-After: 1` once, then 200. */
  | 'throttled'
  /** 422 (a permanent refusal). */
  | 'rejected'
  /** No answer for 10 s (longer than any test kind's time limit). */
  | 'hang';

export interface LoopbackRequest {
  id: number;
  key: string;
  behaviour: Behaviour;
}

export interface LoopbackServer {
  url: string;
  /** Every request that arrived, in order of arrival. */
  requests: LoopbackRequest[];
  /** Requests per key. */
  hits(key: string): number;
  /** The most requests that were being answered at the same moment. */
  maxInFlight: number;
  /** Called on each arrival before the answer (tests look at the database from here). */
  onRequest?: (request: LoopbackRequest) => Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that plays the outside side of a delivery (node:http). */
export async function startLoopback(options: { okDelayMs?: number } = {}): Promise<LoopbackServer> {
  const requests: LoopbackRequest[] = [];
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoopbackRequest;
      requests.push(request);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const seen = requests.filter((r) => r.key === request.key).length;
      const answer = (status: number, headers: Record<string, string> = {}) => {
        inFlight--;
        if (!res.destroyed)
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
      };
      void (async () => {
        await state.onRequest?.(request);
        switch (request.behaviour) {
          case 'ok':
            setTimeout(() => answer(200), options.okDelayMs ?? 0);
            return;
          case 'flaky':
            return answer(seen <= 2 ? 500 : 200);
          case 'broken':
            return answer(500);
          case 'throttled':
            return seen === 1 ? answer(429, { 'retry-after': '1' }) : answer(200);
          case 'rejected':
            return answer(422);
          case 'hang':
            setTimeout(() => answer(200), 10_000).unref();
            return;
        }
      })().catch(() => answer(500));
    });
  });
  // A client that gave up (time limit) closes its socket: nothing more to answer.
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: LoopbackServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    hits: (key) => requests.filter((r) => r.key === key).length,
    maxInFlight: 0,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return state;
}
