// The messaging rate settings: unlimited email and 10 SMS per second unless set.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const base = { HERALD_DATA_DIR: '.tmp/unused' };

describe('messaging rates in the config', () => {
  it('defaults: email unlimited, SMS 10/s', () => {
    expect(loadConfig(base).messaging).toEqual({ emailRate: null, smsRate: 10 });
  });

  it('numbers, fractions and "unlimited"', () => {
    expect(loadConfig({ ...base, HERALD_EMAIL_RATE: '250', HERALD_SMS_RATE: 'unlimited' }).messaging).toEqual(
      {
        emailRate: 250,
        smsRate: null,
      },
    );
    expect(loadConfig({ ...base, HERALD_SMS_RATE: '0.5' }).messaging.smsRate).toBe(0.5);
  });

  it('refuses zero, negatives and words', () => {
    for (const value of ['0', '-3', 'fast'])
      expect(() => loadConfig({ ...base, HERALD_EMAIL_RATE: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HERALD_SMS_RATE: 'x' })).toThrow(/HERALD_SMS_RATE/);
  });
});
