import { describe, expect, it } from 'vitest';
import { compilePattern } from './glob.js';

const NOON = new Date('2026-01-30T12:00:00Z');

describe('compilePattern', () => {
  it('* matches any run, ? exactly one character, everything else literally and case-sensitively', () => {
    const m = compilePattern('export_*.csv', NOON, 'UTC');
    expect(m('export_.csv')).toBe(true);
    expect(m('export_2026 final (1).csv')).toBe(true);
    expect(m('export_1.csv.pgp')).toBe(false);
    expect(m('Export_1.csv')).toBe(false);
    expect(m('xexport_1.csv')).toBe(false);
    expect(m('export_1.CSV')).toBe(false);
    const q = compilePattern('part??.txt', NOON, 'UTC');
    expect(q('part01.txt')).toBe(true);
    expect(q('part1.txt')).toBe(false);
    expect(q('part001.txt')).toBe(false);
    // Regular-expression characters are literal.
    const lit = compilePattern('data(1)+[a].csv', NOON, 'UTC');
    expect(lit('data(1)+[a].csv')).toBe(true);
    expect(lit('data11a.csv')).toBe(false);
    expect(compilePattern('a.csv', NOON, 'UTC')('abcsv')).toBe(false);
    expect(compilePattern('*', NOON, 'UTC')('dir/file')).toBe(false);
  });

  it('the date placeholder takes the calendar date in the given time zone, across midnight', () => {
    const lateEvening = new Date('2026-01-30T23:30:00Z');
    const pattern = 'export_{date:YYYYMMDD}_*.csv.pgp';
    const berlin = compilePattern(pattern, lateEvening, 'Europe/Berlin');
    expect(berlin('export_20260131_001.csv.pgp')).toBe(true);
    expect(berlin('export_20260130_001.csv.pgp')).toBe(false);
    const utc = compilePattern(pattern, lateEvening, 'UTC');
    expect(utc('export_20260130_001.csv.pgp')).toBe(true);
    expect(utc('export_20260131_001.csv.pgp')).toBe(false);
    const earlyMorning = new Date('2026-01-31T03:00:00Z');
    expect(compilePattern(pattern, earlyMorning, 'America/New_York')('export_20260130_1.csv.pgp')).toBe(true);
    // Summer time: Berlin is UTC+2 on 31 March, so 22:30 UTC is already 1 April.
    expect(
      compilePattern(
        '{date:YYYY-MM-DD}.csv',
        new Date('2026-03-31T22:30:00Z'),
        'Europe/Berlin',
      )('2026-04-01.csv'),
    ).toBe(true);
    expect(compilePattern('{date:DD.MM.YYYY}*', NOON, 'UTC')('30.01.2026 Export.csv')).toBe(true);
    expect(compilePattern('{date:DD.MM.YYYY}*', NOON, 'UTC')('30-01-2026 Export.csv')).toBe(false);
  });

  it.each([
    ['', /empty/],
    ['in/export.csv', /folder/],
    ['..\\export.csv', /folder/],
    ['export_{date:YYYYMMDD.csv', /Unclosed "\{"/],
    ['export_{time:HHmm}.csv', /Unknown placeholder/],
    ['export_{date:}.csv', /needs a format/],
    ['export_{date:YYYYMMDDhh}.csv', /Unknown date format/],
    ['export_{date:YY}.csv', /Unknown date format/],
    ['export}.csv', /Unexpected "\}"/],
    ['x'.repeat(501), /longer than 500/],
  ])('refuses %j with a clear message', (pattern, message) => {
    expect(() => compilePattern(pattern, NOON, 'UTC')).toThrow(message);
  });

  it('refuses an unknown time zone', () => {
    expect(() => compilePattern('a_{date:YYYY}.csv', NOON, 'Mars/Olympus')).toThrow(/Unknown time zone/);
    expect(() => compilePattern('a.csv', NOON, 'Mars/Olympus')).toThrow(/Unknown time zone/);
  });
});
