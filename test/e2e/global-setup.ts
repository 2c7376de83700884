// Builds the web UI once before the browser tests (when a browser is there to run them).
import { execFileSync } from 'node:child_process';
import { CHROMIUM_PATH, SKIP_REASON } from './browser.ts';

export default function setup(): void {
  if (!CHROMIUM_PATH) {
    console.warn(`\n⚠ ${SKIP_REASON}\n`);
    return;
  }
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web-if-needed.ts'], { stdio: 'inherit' });
}
