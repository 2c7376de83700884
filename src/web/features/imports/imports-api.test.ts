import { describe, expect, it } from 'vitest';
import { linkedSourceId } from './imports-api.ts';

describe("a failed FTP import's link", () => {
  it('names the source in /imports/ftp/:sourceId, nothing else', () => {
    expect(linkedSourceId('ftp/12')).toBe('12');
    expect(linkedSourceId('ftp/12/')).toBe('12');
    expect(linkedSourceId(undefined)).toBeNull();
    expect(linkedSourceId('')).toBeNull();
    expect(linkedSourceId('ftp/abc')).toBeNull();
    expect(linkedSourceId('ftp/1234567890123456')).toBeNull();
    expect(linkedSourceId('mappings/3')).toBeNull();
  });
});
