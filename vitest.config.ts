import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores here; each test file runs its own database (PGlite in memory, or a fresh PostgreSQL database).
    maxWorkers: 2,
    // Generous: browser tests log in (scrypt) and load pages on a loaded 2-core machine; no test asserts a duration.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
