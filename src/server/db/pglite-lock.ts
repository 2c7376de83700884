import lockfile from 'proper-lockfile';
import fs from 'node:fs/promises';
import path from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/**
 * PGlite takes no lock of its own, and two processes writing one data folder corrupt it.
 * We hold an exclusive lock (a lock directory refreshed every few seconds, taken over only
 * when stale, i.e. when its owner died) for as long as the process uses the folder.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, 'herald.lock'),
      stale: 15_000,
      update: 5_000,
      retries: 0,
      realpath: false,
      onCompromised: (err) => {
        // Someone else took the folder: continuing would risk corrupting it.
        console.error(`Lost the lock on ${dataDir}: ${err.message}. Stopping to protect the data.`);
        process.exit(70);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The data folder ${dataDir} is in use by another Herald process. ` +
          'The embedded database (PGlite) allows one process only: stop the other one, ' +
          'or set DATABASE_URL to run several processes on PostgreSQL.',
      );
    }
    throw err;
  }
}
