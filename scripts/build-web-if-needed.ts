// Run by `npm start`: rebuilds the web UI only when its sources are newer than the last build,
// so a server restart does not pay for a Vite build it does not need.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(root, 'dist/web/index.html');
const sourceDirs = ['src/web', 'src/shared'];
const sourceFiles = ['index.html', 'vite.config.ts', 'postcss.config.ts'];

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest file among the inputs of the web build, or null when none exists. */
async function newestSource(): Promise<{ path: string; mtime: number } | null> {
  const paths = sourceFiles.map((file) => join(root, file));
  for (const dir of sourceDirs) {
    const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile()) paths.push(join(entry.parentPath, entry.name));
  }
  let newest: { path: string; mtime: number } | null = null;
  for (const path of paths) {
    const mtime = await mtimeOf(path);
    if (mtime !== null && (newest === null || mtime > newest.mtime)) newest = { path, mtime };
  }
  return newest;
}

async function main(): Promise<void> {
  const [builtAt, newest] = await Promise.all([mtimeOf(builtIndex), newestSource()]);
  if (builtAt !== null && (newest === null || newest.mtime <= builtAt)) {
    console.log('web UI: dist/web is up to date, build skipped');
    return;
  }
  const reason =
    builtAt === null
      ? 'no previous build'
      : `${relative(root, newest?.path ?? root)} changed since the last build`;
  const started = performance.now();
  // Vite's own output would drown the server's first lines: warnings and errors only.
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`web UI: built dist/web in ${seconds}s (${reason})`);
}

main().catch((error: unknown) => {
  console.error('web UI: build failed', error);
  process.exitCode = 1;
});
