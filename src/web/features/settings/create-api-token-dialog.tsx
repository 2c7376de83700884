import { Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useCreateApiToken } from './use-create-api-token.ts';

const EXPIRY_CHOICES = ['30', '90', '365', 'never'] as const;
type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/**
 * Creates an API token, then shows its secret once with a copy button: the server keeps only a hash,
 * so closing the dialog loses it for good.
 */
export function CreateApiTokenDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [nameError, setNameError] = useState<string | null>(null);

  const close = () => {
    onClose();
    create.reset();
    setName('');
    setExpiry('90');
    setNameError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setNameError(t('validation.required'));
    setNameError(null);
    create.mutate({ name: name.trim(), ...(expiry === 'never' ? {} : { expiresInDays: Number(expiry) }) });
  };

  const secret = create.data?.token;

  return (
    <Modal opened={opened} onClose={close} title={t('settings.tokens.createTitle')}>
      {secret ? (
        <Stack>
          <Alert color="yellow">{t('settings.tokens.secretOnce')}</Alert>
          <Code block data-testid="token-secret">
            {secret}
          </Code>
          <Group justify="space-between">
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                  data-testid="token-copy"
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close} data-testid="token-done">
              {t('common.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('settings.tokens.name')}
              description={t('settings.tokens.nameHint')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameError}
              data-autofocus
              data-testid="token-name"
            />
            <Select<ExpiryChoice>
              label={t('settings.tokens.expiry')}
              data={EXPIRY_CHOICES.map((value) => ({
                value,
                label: t(`settings.tokens.expiresIn.${value}`),
              }))}
              value={expiry}
              onChange={(value) => value && setExpiry(value)}
              allowDeselect={false}
              data-testid="token-expiry"
            />
            {create.isError && <ErrorAlert error={create.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="token-create-submit">
                {t('settings.tokens.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
