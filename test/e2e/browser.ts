import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.ts';
import { startHerald, type RunningHerald } from '../../src/server/runtime.ts';

/** Debian's Chromium (never a downloaded browser), or CHROMIUM_PATH. */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const SKIP_REASON = 'no Chromium at /usr/bin/chromium and CHROMIUM_PATH unset: browser tests skipped';

/**
 * A real Herald (API + worker + built web UI) on a fresh embedded database with the demo seed;
 * `env` adds settings (e.g. `SMTP_URL` of a test SMTP server).
 */
export async function startDemoHerald(
  env: Record<string, string> = {},
): Promise<{ herald: RunningHerald; dispose(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'herald-e2e-'));
  const config = loadConfig({
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    HERALD_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  });
  const herald = await startHerald(config, 'start', { log: () => undefined, logger: false });
  return {
    herald,
    async dispose() {
      await herald.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** For a suite: the demo Herald and Chromium, started before its tests and stopped after them. */
export function useDemoInBrowser(): { readonly herald: RunningHerald; readonly browser: Browser } {
  let demo: Awaited<ReturnType<typeof startDemoHerald>> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    demo = await startDemoHerald();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.dispose();
  });
  return {
    get herald() {
      return demo!.herald;
    },
    get browser() {
      return browser!;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/accounts\/\d+\//);
}
