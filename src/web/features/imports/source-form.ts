// The import-source form's state and the body it sends (pure: unit-tested).
import type {
  CreateImportSourceBody,
  ImportSchedule,
  ImportSource,
  RemoteProtocol,
} from '../../../shared/import-sources.ts';
import { AFTER_IMPORT } from '../../../shared/import-sources.ts';

export type AfterImport = (typeof AFTER_IMPORT)[number];

/** The usual port of each protocol: FTP and explicit FTPS 21, implicit FTPS 990, SFTP 22. */
export const DEFAULT_PORTS: Record<RemoteProtocol, number> = {
  ftp: 21,
  ftps_explicit: 21,
  ftps_implicit: 990,
  sftp: 22,
};

/** What the form holds; secrets are empty on edit and mean "unchanged" when left empty. */
export interface SourceForm {
  name: string;
  protocol: RemoteProtocol;
  host: string;
  port: number;
  username: string;
  password: string;
  privateKey: string;
  keyPassphrase: string;
  folder: string;
  pattern: string;
  schedule: ImportSchedule;
  mappingId: string | null;
  decrypt: boolean;
  afterImport: AfterImport;
  moveTo: string;
  missingAfterMinutes: number;
  allowSelfSigned: boolean;
  enabled: boolean;
}

export function emptySourceForm(): SourceForm {
  return {
    name: '',
    protocol: 'sftp',
    host: '',
    port: DEFAULT_PORTS.sftp,
    username: '',
    password: '',
    privateKey: '',
    keyPassphrase: '',
    folder: '/',
    pattern: '',
    schedule: { kind: 'daily', time: '06:00' },
    mappingId: null,
    decrypt: false,
    afterImport: 'leave',
    moveTo: '',
    missingAfterMinutes: 0,
    allowSelfSigned: false,
    enabled: true,
  };
}

/** A saved source in the form (its secrets are never sent to us, so they start empty). */
export function sourceFormOf(source: ImportSource): SourceForm {
  return {
    name: source.name,
    protocol: source.protocol,
    host: source.host,
    port: source.port,
    username: source.username,
    password: '',
    privateKey: '',
    keyPassphrase: '',
    folder: source.folder,
    pattern: source.pattern,
    schedule: source.schedule,
    mappingId: source.mappingId,
    decrypt: source.decrypt,
    afterImport: source.afterImport,
    moveTo: source.moveTo ?? '',
    missingAfterMinutes: source.missingAfterMinutes,
    allowSelfSigned: source.allowSelfSigned,
    enabled: source.enabled,
  };
}

/**
 * A protocol change moves the port along when it still is the old protocol's default (a port the
 * user typed stays).
 */
export function withProtocol(form: SourceForm, protocol: RemoteProtocol): SourceForm {
  const port = form.port === DEFAULT_PORTS[form.protocol] ? DEFAULT_PORTS[protocol] : form.port;
  return { ...form, protocol, port };
}

/**
 * The create or update body. Empty secrets are left out (on edit: unchanged); SSH keys only for
 * SFTP; the move target only when files are moved; self-signed certificates only for FTPS.
 */
export function sourceBody(form: SourceForm): CreateImportSourceBody {
  const sftp = form.protocol === 'sftp';
  return {
    name: form.name.trim(),
    protocol: form.protocol,
    host: form.host.trim(),
    port: form.port,
    username: form.username,
    folder: form.folder.trim() === '' ? '/' : form.folder.trim(),
    pattern: form.pattern.trim(),
    schedule: form.schedule,
    mappingId: form.mappingId ?? '',
    decrypt: form.decrypt,
    afterImport: form.afterImport,
    moveTo: form.afterImport === 'move' ? form.moveTo.trim() : null,
    missingAfterMinutes: form.missingAfterMinutes,
    allowSelfSigned: form.protocol.startsWith('ftps') && form.allowSelfSigned,
    enabled: form.enabled,
    ...(form.password !== '' && { password: form.password }),
    ...(sftp && form.privateKey.trim() !== '' && { privateKey: form.privateKey }),
    ...(sftp && form.keyPassphrase !== '' && { keyPassphrase: form.keyPassphrase }),
  };
}
