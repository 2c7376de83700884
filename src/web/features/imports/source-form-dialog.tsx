import {
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AFTER_IMPORT,
  REMOTE_PROTOCOLS,
  type ImportSchedule,
  type ImportSource,
} from '../../../shared/import-sources.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { emptySourceForm, sourceBody, sourceFormOf, withProtocol, type SourceForm } from './source-form.ts';
import { useImportMappings } from './use-import-mappings.ts';
import { useSaveImportSource } from './use-save-import-source.ts';
import { weekdayName } from './use-schedule-text.ts';

const SCHEDULE_KINDS = [
  'interval',
  'daily',
  'weekly',
  'manual',
] as const satisfies readonly ImportSchedule['kind'][];

/** A schedule of another kind, keeping the time where both have one. */
function scheduleOfKind(kind: ImportSchedule['kind'], current: ImportSchedule): ImportSchedule {
  const time = current.kind === 'daily' || current.kind === 'weekly' ? current.time : '06:00';
  switch (kind) {
    case 'interval':
      return { kind, minutes: current.kind === 'interval' ? current.minutes : 60 };
    case 'daily':
      return { kind, time };
    case 'weekly':
      return { kind, weekday: current.kind === 'weekly' ? current.weekday : 1, time };
    case 'manual':
      return { kind };
  }
}

/**
 * Creates or edits a remote source. Secrets are never shown: on edit their fields start empty and
 * an empty field keeps the stored secret. The port follows the protocol until the user types one.
 */
export function SourceFormDialog({
  accountId,
  opened,
  source,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  source: ImportSource | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const save = useSaveImportSource(accountId);
  const mappings = useImportMappings(accountId);
  const [form, setForm] = useState<SourceForm>(() => (source ? sourceFormOf(source) : emptySourceForm()));
  const set = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) =>
    setForm({ ...form, [key]: value });
  const editing = source !== null;
  const [resetHostKey, setResetHostKey] = useState(false);
  const invalid = new Set(invalidFields(save.error));
  const fieldError = (field: keyof SourceForm | 'schedule') =>
    [...invalid].some((f) => f === field || f.startsWith(`${field}.`))
      ? t('imports.sources.form.invalid')
      : undefined;
  const keepSecret = editing ? t('imports.sources.form.keepSecret') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { sourceId: source?.id ?? null, body: { ...sourceBody(form), ...(resetHostKey && { resetHostKey }) } },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? t('imports.sources.form.editTitle') : t('imports.sources.form.newTitle')}
      size="xl"
    >
      <form onSubmit={submit} noValidate data-testid="source-form">
        <Stack>
          <TextInput
            label={t('imports.sources.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={fieldError('name')}
            required
            data-autofocus
            data-testid="source-name"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('imports.sources.protocol')}
              data={REMOTE_PROTOCOLS.map((p) => ({ value: p, label: t(`imports.sources.protocols.${p}`) }))}
              value={form.protocol}
              allowDeselect={false}
              onChange={(value) => {
                const protocol = REMOTE_PROTOCOLS.find((p) => p === value);
                if (protocol) setForm(withProtocol(form, protocol));
              }}
              data-testid="source-protocol"
            />
            <TextInput
              label={t('imports.sources.host')}
              value={form.host}
              onChange={(e) => set('host', e.currentTarget.value)}
              error={fieldError('host')}
              required
              data-testid="source-host"
            />
            <NumberInput
              label={t('imports.sources.form.port')}
              value={form.port}
              min={1}
              max={65535}
              allowDecimal={false}
              onChange={(value) => typeof value === 'number' && set('port', value)}
              error={fieldError('port')}
              data-testid="source-port"
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('imports.sources.form.username')}
              value={form.username}
              onChange={(e) => set('username', e.currentTarget.value)}
              error={fieldError('username')}
              autoComplete="off"
              required
              data-testid="source-username"
            />
            <PasswordInput
              label={t('imports.sources.form.password')}
              description={editing && source.hasPassword ? keepSecret : undefined}
              value={form.password}
              onChange={(e) => set('password', e.currentTarget.value)}
              autoComplete="new-password"
              data-testid="source-password"
            />
          </SimpleGrid>
          {form.protocol === 'sftp' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Textarea
                label={t('imports.sources.form.privateKey')}
                description={
                  editing && source.hasPrivateKey ? keepSecret : t('imports.sources.form.privateKeyHint')
                }
                value={form.privateKey}
                onChange={(e) => set('privateKey', e.currentTarget.value)}
                autosize
                minRows={2}
                maxRows={6}
                styles={{ input: { fontFamily: 'monospace', fontSize: 11 } }}
                data-testid="source-private-key"
              />
              <PasswordInput
                label={t('imports.sources.form.keyPassphrase')}
                description={editing && source.hasPrivateKey ? keepSecret : undefined}
                value={form.keyPassphrase}
                onChange={(e) => set('keyPassphrase', e.currentTarget.value)}
                autoComplete="new-password"
                data-testid="source-key-passphrase"
              />
            </SimpleGrid>
          )}
          {form.protocol.startsWith('ftps') && (
            <Checkbox
              label={t('imports.sources.form.allowSelfSigned')}
              description={t('imports.sources.form.allowSelfSignedHint')}
              checked={form.allowSelfSigned}
              onChange={(e) => set('allowSelfSigned', e.currentTarget.checked)}
              data-testid="source-self-signed"
            />
          )}

          <Divider label={t('imports.sources.form.files')} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('imports.sources.form.folder')}
              value={form.folder}
              onChange={(e) => set('folder', e.currentTarget.value)}
              error={fieldError('folder')}
              data-testid="source-folder"
            />
            <TextInput
              label={t('imports.sources.form.pattern')}
              description={t('imports.sources.form.patternHint')}
              placeholder="export_{date:YYYYMMDD}*.csv.pgp"
              value={form.pattern}
              onChange={(e) => set('pattern', e.currentTarget.value)}
              error={fieldError('pattern')}
              required
              data-testid="source-pattern"
            />
          </SimpleGrid>
          <Select
            label={t('imports.sources.form.mapping')}
            description={
              mappings.data?.length === 0
                ? t('imports.sources.form.noMappings')
                : t('imports.sources.form.mappingHint')
            }
            data={(mappings.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
            value={form.mappingId}
            onChange={(value) => set('mappingId', value)}
            error={fieldError('mappingId')}
            required
            data-testid="source-mapping"
          />
          <Switch
            label={t('imports.sources.form.decrypt')}
            description={t('imports.sources.form.decryptHint')}
            checked={form.decrypt}
            onChange={(e) => set('decrypt', e.currentTarget.checked)}
            data-testid="source-decrypt"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('imports.sources.form.afterImport')}
              data={AFTER_IMPORT.map((value) => ({ value, label: t(`imports.sources.form.after.${value}`) }))}
              value={form.afterImport}
              allowDeselect={false}
              onChange={(value) => {
                const after = AFTER_IMPORT.find((a) => a === value);
                if (after) set('afterImport', after);
              }}
              data-testid="source-after-import"
            />
            {form.afterImport === 'move' && (
              <TextInput
                label={t('imports.sources.form.moveTo')}
                value={form.moveTo}
                onChange={(e) => set('moveTo', e.currentTarget.value)}
                error={fieldError('moveTo')}
                data-testid="source-move-to"
              />
            )}
          </SimpleGrid>

          <Divider label={t('imports.sources.schedule')} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('imports.sources.form.scheduleKind')}
              data={SCHEDULE_KINDS.map((kind) => ({
                value: kind,
                label: t(`imports.sources.form.kinds.${kind}`),
              }))}
              value={form.schedule.kind}
              allowDeselect={false}
              onChange={(value) => {
                const kind = SCHEDULE_KINDS.find((k) => k === value);
                if (kind) set('schedule', scheduleOfKind(kind, form.schedule));
              }}
              error={fieldError('schedule')}
              data-testid="source-schedule-kind"
            />
            {form.schedule.kind === 'interval' && (
              <NumberInput
                label={t('imports.sources.form.minutes')}
                value={form.schedule.minutes}
                min={5}
                max={7 * 24 * 60}
                allowDecimal={false}
                onChange={(value) =>
                  typeof value === 'number' && set('schedule', { kind: 'interval', minutes: value })
                }
                data-testid="source-schedule-minutes"
              />
            )}
            {form.schedule.kind === 'weekly' && (
              <Select
                label={t('imports.sources.form.weekday')}
                data={[1, 2, 3, 4, 5, 6, 7].map((day) => ({
                  value: String(day),
                  label: weekdayName(day, i18n.language),
                }))}
                value={String(form.schedule.weekday)}
                allowDeselect={false}
                onChange={(value) =>
                  form.schedule.kind === 'weekly' &&
                  value &&
                  set('schedule', { ...form.schedule, weekday: Number(value) })
                }
                data-testid="source-schedule-weekday"
              />
            )}
            {(form.schedule.kind === 'daily' || form.schedule.kind === 'weekly') && (
              <TextInput
                type="time"
                label={t('imports.sources.form.time')}
                description={t('imports.sources.form.timeHint')}
                value={form.schedule.time}
                onChange={(e) => {
                  const time = e.currentTarget.value;
                  if (form.schedule.kind === 'daily' || form.schedule.kind === 'weekly')
                    set('schedule', { ...form.schedule, time });
                }}
                data-testid="source-schedule-time"
              />
            )}
          </SimpleGrid>
          <NumberInput
            label={t('imports.sources.form.missingAfter')}
            description={t('imports.sources.form.missingAfterHint')}
            value={form.missingAfterMinutes}
            min={0}
            max={7 * 24 * 60}
            allowDecimal={false}
            onChange={(value) => typeof value === 'number' && set('missingAfterMinutes', value)}
            maw={320}
            data-testid="source-missing-after"
          />
          <Switch
            label={t('imports.sources.form.enabled')}
            checked={form.enabled}
            onChange={(e) => set('enabled', e.currentTarget.checked)}
            data-testid="source-enabled"
          />
          {editing && source.hostKeyFingerprint && (
            <Checkbox
              label={t('imports.sources.form.resetHostKey')}
              description={t('imports.sources.form.resetHostKeyHint', {
                fingerprint: source.hostKeyFingerprint,
              })}
              checked={resetHostKey}
              onChange={(e) => setResetHostKey(e.currentTarget.checked)}
              data-testid="source-reset-host-key"
            />
          )}
          {save.isError && invalid.size === 0 && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="source-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
