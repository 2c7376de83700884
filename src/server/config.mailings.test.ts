// The mailing pre-flight setting: 15 minutes unless set, whole minutes only.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const base = { HERALD_DATA_DIR: '.tmp/unused' };

describe('mailing pre-flight in the config', () => {
  it('defaults to 15 minutes and reads minutes', () => {
    expect(loadConfig(base).mailings).toEqual({ preflightMs: 15 * 60_000 });
    expect(loadConfig({ ...base, HERALD_MAILING_PREFLIGHT_MINUTES: '60' }).mailings.preflightMs).toBe(
      3_600_000,
    );
  });

  it('refuses negatives and words', () => {
    for (const value of ['-1', 'soon', '1.5'])
      expect(() => loadConfig({ ...base, HERALD_MAILING_PREFLIGHT_MINUTES: value })).toThrow(ConfigError);
  });
});
