// The bulk engine as a client sees it: create an action over HTTP, time the create call, the freeze
// (until the action leaves `preparing`) and the run (until `completed`), and sample API latency
// meanwhile. Only the HTTP API is used, so the bench measures whatever engine sits behind it.
import { performance } from 'node:perf_hooks';
import { percentile, progress, timed } from './lib.ts';

/** Where and as whom the bench calls the API. */
export interface Api {
  base: string;
  headers: Record<string, string>;
  account: number;
}

/** One action, end to end. All times in ms from the start of the create call. */
export interface ActionRun {
  id: string;
  /** The create call alone (the HTTP round trip). */
  createMs: number;
  /** Until the action's status was no longer `preparing` (today: the create call itself). */
  freezeMs: number;
  /** Until `completed`: freeze plus run. */
  totalMs: number;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

interface ActionView {
  id: string;
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function accountUrl(api: Api, path: string): string {
  return `${api.base}/api/accounts/${api.account}${path}`;
}

/** A POST with a JSON body, or a bodyless one (which must not claim a JSON body). */
async function post(api: Api, path: string, body: object | null): Promise<Response> {
  const { 'content-type': _json, ...bare } = api.headers;
  return fetch(accountUrl(api, path), {
    method: 'POST',
    headers: body ? api.headers : bare,
    body: body ? JSON.stringify(body) : null,
  });
}

async function view(api: Api, id: string): Promise<ActionView> {
  const res = await fetch(accountUrl(api, `/bulk-actions/${id}`), { headers: api.headers });
  if (!res.ok) throw new Error(`GET bulk action ${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as ActionView;
}

/**
 * Creates an action (POST `path` with `body`; null: bodyless, as restore is) and waits until it is
 * completed. Works whether the create call freezes the selection before it answers (it answers
 * `queued`) or answers at once with `preparing` and freezes in the background: the freeze ends when
 * a poll first sees another status. Polls briskly during the freeze so its end is seen within ~25 ms.
 */
export async function runAction(api: Api, body: object | null, path = '/bulk-actions'): Promise<ActionRun> {
  const start = performance.now();
  const res = await post(api, path, body);
  const createMs = performance.now() - start;
  if (res.status < 200 || res.status > 202)
    throw new Error(`create failed: ${res.status} ${await res.text()}`);
  let action = (await res.json()) as ActionView;
  const id = action.id;
  let freezeMs = action.status === 'preparing' ? Number.NaN : createMs;
  for (;;) {
    if (action.status !== 'preparing' && Number.isNaN(freezeMs)) freezeMs = performance.now() - start;
    if (action.status === 'completed') break;
    if (action.status === 'failed' || action.status === 'cancelled')
      throw new Error(`action ${id} ended ${action.status}`);
    await sleep(action.status === 'preparing' ? 25 : 100);
    action = await view(api, id);
  }
  const totalMs = performance.now() - start;
  progress(
    `  create ${Math.round(createMs)} ms, freeze ${Math.round(freezeMs)} ms, run ${Math.round(totalMs - freezeMs)} ms: ` +
      `${action.succeeded} succeeded, ${action.failed} failed, ${action.skipped} skipped of ${action.total}`,
  );
  return {
    id,
    createMs,
    freezeMs,
    totalMs,
    total: action.total,
    succeeded: action.succeeded,
    failed: action.failed,
    skipped: action.skipped,
  };
}

/** Creates a tag over HTTP; returns its id. */
export async function createTag(api: Api, name: string): Promise<string> {
  const res = await post(api, '/tags', { name });
  if (!res.ok) throw new Error(`create tag: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Latency samples of the API: a public health check and an authenticated list page. */
export interface Samples {
  health: number[];
  list: number[];
}

async function sampleOnce(api: Api, into: Samples): Promise<void> {
  into.health.push((await timed(() => fetch(`${api.base}/api/health`).then((r) => r.text()))).ms);
  into.list.push(
    (
      await timed(() =>
        fetch(accountUrl(api, '/bulk-actions?limit=25'), { headers: api.headers }).then((r) => r.text()),
      )
    ).ms,
  );
}

/**
 * Samples API latency until the returned stop function is called (every ~50 ms, one request at a
 * time, like a user with the page open). Stop resolves once the last sample is in.
 */
export function probe(api: Api, into: Samples): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sampleOnce(api, into);
      await sleep(50);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** `count` samples with nothing running: the baseline for latency while a job runs. */
export async function idleSamples(api: Api, count: number): Promise<Samples> {
  const samples: Samples = { health: [], list: [] };
  for (let i = 0; i < count; i++) {
    await sampleOnce(api, samples);
    await sleep(10);
  }
  progress(
    `  idle p95: health ${percentile(samples.health, 95).toFixed(1)} ms, list ${percentile(samples.list, 95).toFixed(1)} ms`,
  );
  return samples;
}
