import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SenderProfile } from '../../../shared/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldIssues } from '../../components/invalid-fields.ts';
import { useSaveSenderProfile } from './use-sender-profiles.ts';

/** Creates a sender profile (`profile` null) or edits one. Mount it with a key per profile. */
export function SenderProfileDialog({
  accountId,
  profile,
  onClose,
}: {
  accountId: string;
  profile: SenderProfile | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSenderProfile(accountId, profile?.id ?? null);
  const [name, setName] = useState(profile?.name ?? '');
  const [fromName, setFromName] = useState(profile?.fromName ?? '');
  const [fromAddress, setFromAddress] = useState(profile?.fromAddress ?? '');
  const [replyTo, setReplyTo] = useState(profile?.replyTo ?? '');
  const [isDefault, setIsDefault] = useState(profile?.isDefault ?? false);
  const issues = fieldIssues(save.error).map((i) => i.field);
  const errorOf = (field: string, text = t('senders.invalid')) =>
    issues.includes(`body.${field}`) ? text : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        name: name.trim(),
        fromName: fromName.trim(),
        fromAddress: fromAddress.trim(),
        replyTo: replyTo.trim() || null,
        isDefault,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={profile ? t('senders.profiles.edit') : t('senders.profiles.add')}
      data-testid="sender-profile-dialog"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('senders.profiles.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errorOf(
              'name',
              save.error && issues.includes('body.name') ? t('senders.profiles.nameTaken') : undefined,
            )}
            required
            data-autofocus
            data-testid="sender-profile-name"
          />
          <TextInput
            label={t('senders.profiles.fromName')}
            value={fromName}
            onChange={(e) => setFromName(e.currentTarget.value)}
            error={errorOf('fromName')}
            data-testid="sender-profile-from-name"
          />
          <TextInput
            label={t('senders.profiles.fromAddress')}
            type="email"
            value={fromAddress}
            onChange={(e) => setFromAddress(e.currentTarget.value)}
            error={errorOf('fromAddress', t('validation.email'))}
            required
            data-testid="sender-profile-from-address"
          />
          <TextInput
            label={t('senders.profiles.replyTo')}
            type="email"
            value={replyTo}
            onChange={(e) => setReplyTo(e.currentTarget.value)}
            error={errorOf('replyTo', t('validation.email'))}
            data-testid="sender-profile-reply-to"
          />
          <Checkbox
            label={t('senders.profiles.makeDefault')}
            checked={isDefault}
            onChange={(e) => setIsDefault(e.currentTarget.checked)}
            data-testid="sender-profile-default"
          />
          {save.isError && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="sender-profile-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
