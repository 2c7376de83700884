import { describe, expect, it } from 'vitest';
import { createImportSourceBodySchema, type ImportSource } from '../../../shared/import-sources.ts';
import { emptySourceForm, sourceBody, sourceFormOf, withProtocol } from './source-form.ts';

const SAVED: ImportSource = {
  id: '5',
  name: 'CRM export',
  protocol: 'sftp',
  host: 'sftp.example.de',
  port: 2222,
  username: 'herald',
  folder: '/out',
  pattern: 'export_{date:YYYYMMDD}*.csv.pgp',
  schedule: { kind: 'daily', time: '06:30' },
  mappingId: '9',
  decrypt: true,
  afterImport: 'move',
  moveTo: '/done',
  missingAfterMinutes: 60,
  allowSelfSigned: false,
  enabled: true,
  hasPassword: true,
  hasPrivateKey: true,
  hostKeyFingerprint: 'SHA256:abc',
  nextRunAt: null,
  lastRun: null,
  createdAt: '2026-11-30T06:00:00.000Z',
};

describe('the import source form', () => {
  it('moves the port with the protocol while it is the default, and keeps a typed one', () => {
    let form = emptySourceForm();
    expect(form.port).toBe(22);
    form = withProtocol(form, 'ftps_implicit');
    expect(form.port).toBe(990);
    form = withProtocol(form, 'ftp');
    expect(form.port).toBe(21);
    form = withProtocol(form, 'ftps_explicit');
    expect(form.port).toBe(21);
    form = withProtocol({ ...form, port: 2121 }, 'sftp');
    expect(form.port).toBe(2121);
  });

  it('leaves empty secrets out on edit (unchanged) and sends the ones typed', () => {
    const form = sourceFormOf(SAVED);
    expect([form.password, form.privateKey, form.keyPassphrase]).toEqual(['', '', '']);
    const body = sourceBody(form);
    expect(body).not.toHaveProperty('password');
    expect(body).not.toHaveProperty('privateKey');
    expect(body).not.toHaveProperty('keyPassphrase');
    expect(createImportSourceBodySchema.parse(body)).toMatchObject({
      port: 2222,
      moveTo: '/done',
      mappingId: '9',
    });
    expect(sourceBody({ ...form, password: 's3cret' })).toMatchObject({ password: 's3cret' });
  });

  it('sends SSH keys only for SFTP, a move target only when moving, self-signed only for FTPS', () => {
    const form = { ...sourceFormOf(SAVED), privateKey: 'KEY', keyPassphrase: 'pp', allowSelfSigned: true };
    expect(sourceBody(form)).toMatchObject({
      privateKey: 'KEY',
      keyPassphrase: 'pp',
      allowSelfSigned: false,
    });
    const ftp = sourceBody({ ...withProtocol(form, 'ftps_explicit'), afterImport: 'leave' });
    expect(ftp).not.toHaveProperty('privateKey');
    expect(ftp).toMatchObject({ moveTo: null, allowSelfSigned: true, protocol: 'ftps_explicit' });
    expect(createImportSourceBodySchema.safeParse(ftp).success).toBe(true);
  });
});
