import { Button, PasswordInput, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { generatePgpKeyBodySchema } from '../../../shared/import-sources.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { useGeneratePgpKey } from './use-generate-pgp-key.ts';
import { useUploadPgpKey } from './use-upload-pgp-key.ts';

/** Generates a key pair for the account (name, email, passphrase of at least 8 characters). */
export function GeneratePgpKeyForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const generate = useGeneratePgpKey(accountId);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [touched, setTouched] = useState(false);
  const shape = generatePgpKeyBodySchema.shape;
  const invalid = new Set(invalidFields(generate.error));
  const bad = (field: 'name' | 'email' | 'passphrase', ok: boolean) => (touched && !ok) || invalid.has(field);
  const nameOk = shape.name.safeParse(name).success;
  const emailOk = shape.email.safeParse(email.trim()).success;
  const passphraseOk = shape.passphrase.safeParse(passphrase).success;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!nameOk || !emailOk || !passphraseOk) return;
    generate.mutate(
      { name: name.trim(), email: email.trim(), passphrase },
      { onSuccess: () => setPassphrase('') },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="pgp-generate-form">
      <Stack>
        <Title order={5}>{t('imports.pgp.generate')}</Title>
        <TextInput
          label={t('imports.pgp.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={bad('name', nameOk) ? t('imports.pgp.nameInvalid') : undefined}
          data-testid="pgp-name"
        />
        <TextInput
          label={t('imports.pgp.email')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={bad('email', emailOk) ? t('validation.email') : undefined}
          data-testid="pgp-email"
        />
        <PasswordInput
          label={t('imports.pgp.passphrase')}
          description={t('imports.pgp.passphraseHint')}
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          error={bad('passphrase', passphraseOk) ? t('imports.pgp.passphraseShort') : undefined}
          autoComplete="new-password"
          data-testid="pgp-passphrase"
        />
        {generate.isError && invalid.size === 0 && <ErrorAlert error={generate.error} />}
        <Button type="submit" loading={generate.isPending} w="fit-content" data-testid="pgp-generate">
          {t('imports.pgp.generateSubmit')}
        </Button>
      </Stack>
    </form>
  );
}

/** Stores an existing private key (ASCII-armored) and its passphrase as the account's key. */
export function UploadPgpKeyForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const upload = useUploadPgpKey(accountId);
  const [armored, setArmored] = useState('');
  const [passphrase, setPassphrase] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate(
      { privateKeyArmored: armored.trim(), passphrase },
      {
        onSuccess: () => {
          setArmored('');
          setPassphrase('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="pgp-upload-form">
      <Stack>
        <Title order={5}>{t('imports.pgp.upload')}</Title>
        <Textarea
          label={t('imports.pgp.privateKey')}
          description={t('imports.pgp.privateKeyHint')}
          placeholder="-----BEGIN PGP PRIVATE KEY BLOCK-----"
          value={armored}
          onChange={(e) => setArmored(e.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={10}
          styles={{ input: { fontFamily: 'monospace', fontSize: 11 } }}
          data-testid="pgp-private-key"
        />
        <PasswordInput
          label={t('imports.pgp.passphrase')}
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          autoComplete="off"
          data-testid="pgp-upload-passphrase"
        />
        {upload.isError && <ErrorAlert error={upload.error} />}
        <Button
          type="submit"
          loading={upload.isPending}
          disabled={armored.trim() === ''}
          w="fit-content"
          data-testid="pgp-upload"
        >
          {t('imports.pgp.uploadSubmit')}
        </Button>
      </Stack>
    </form>
  );
}
