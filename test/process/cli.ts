// Runs the real `herald` command line as child processes: the same Node, through tsx, from the repo root.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Long enough for a cold start on a loaded CI machine; every wait in these tests is bounded by it. */
export const WAIT_MS = 60_000;
/** A HERALD_SECRET for processes that share a PostgreSQL database. */
export const TEST_SECRET = 'process-test-secret-0123456789-0123456789';

// Herald's own variables are never inherited from the test run: each test says what the child gets.
const HERALD_ENV = [
  'PORT',
  'HOST',
  'HERALD_DATA_DIR',
  'DATABASE_URL',
  'SMTP_URL',
  'HERALD_SECRET',
  'HERALD_PUBLIC_URL',
  'HERALD_SEED_DEMO',
  'LOG_LEVEL',
];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `herald` child process and everything it has printed so far. */
export interface HeraldProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** Resolves with the first match of `pattern` on stdout or stderr; rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs; `forced` tells whether that was needed. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit & { forced: boolean }>;
}

/** The children still running, each with its `exited` promise. */
const running = new Map<ChildProcess, Promise<Exit>>();
// Last resort if a test file dies without its afterAll: no herald outlives the test worker.
process.once('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

/** Starts `herald <args>` with a clean environment plus `env`. */
export function spawnHerald(args: string[], env: Record<string, string>): HeraldProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of HERALD_ENV) delete childEnv[name];
  Object.assign(childEnv, { LOG_LEVEL: 'warn', HOST: '127.0.0.1' }, env);

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    const settle = (result: Exit) => {
      running.delete(child);
      exit ??= result;
      resolve(exit);
      for (const listener of listeners) listener();
    };
    child.once('close', (code, signal) => settle({ code, signal }));
    child.once('error', (err) => {
      stderr += `\n[spawn error] ${err.message}`;
      settle({ code: null, signal: null });
    });
  });
  running.set(child, exited);
  const describe = () => `herald ${args.join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;

  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForOutput(pattern, timeoutMs = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern) ?? stderr.match(pattern);
          const exitedWith = exit;
          if (match) done(() => resolve(match));
          else if (exitedWith)
            done(() =>
              reject(new Error(`exited (${exitText(exitedWith)}) before printing ${pattern}: ${describe()}`)),
            );
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${describe()}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = WAIT_MS) {
      if (exit) return { ...exit, forced: false };
      child.kill(signal);
      const inTime = await Promise.race([exited, delay(timeoutMs)]);
      if (inTime) return { ...inTime, forced: false };
      child.kill('SIGKILL');
      return { ...(await exited), forced: true };
    },
  };
}

/** Runs `herald <args>` to completion (SIGKILL after `timeoutMs`) and returns its exit and output. */
export async function runHerald(
  args: string[],
  env: Record<string, string>,
  timeoutMs = WAIT_MS,
): Promise<Exit & { stdout: string; stderr: string; timedOut: boolean }> {
  const herald = spawnHerald(args, env);
  const inTime = await Promise.race([herald.exited, delay(timeoutMs)]);
  if (!inTime) herald.child.kill('SIGKILL');
  const exit = await herald.exited;
  return { ...exit, stdout: herald.stdout, stderr: herald.stderr, timedOut: !inTime };
}

/** SIGKILLs every herald child still running: for afterAll, after the tests stopped theirs. */
export async function killAllHeralds(): Promise<void> {
  const exits = [...running.values()];
  for (const child of running.keys()) child.kill('SIGKILL');
  await Promise.all(exits);
}

/** A TCP port nobody listens on right now (herald cannot report one it chose itself). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A fresh, empty data folder of its own; `remove` deletes it. */
export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'herald-process-'));
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** The `ms` of Herald's "Herald <mode> ready in <ms> ms" line. */
export function readyMs(output: string): number | undefined {
  const ms = /Herald \w+ ready in (\d+) ms/.exec(output)?.[1];
  return ms === undefined ? undefined : Number(ms);
}

export const READY = /Herald \w+ ready in \d+ ms[^\n]*\n/;

function exitText(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Resolves with undefined after `ms`, without keeping the test worker alive. */
function delay(ms: number): Promise<undefined> {
  return sleep(ms, undefined, { ref: false });
}
