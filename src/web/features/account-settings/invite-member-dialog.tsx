import {
  Alert,
  Button,
  CopyButton,
  Divider,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addMemberBodySchema } from '../../../shared/accounts.ts';
import type { Role } from '../../../shared/rights.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { InvitationsList } from './invitations-list.tsx';
import { roleOptions } from './role-options.ts';
import { useInviteMember } from './use-invite-member.ts';

/**
 * Invites someone by email with a role. Whether the address already has a Herald login is never
 * shown: everyone gets an invitation to accept. The pending invitations are listed below.
 */
export function InviteMemberDialog({
  accountId,
  opened,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const invite = useInviteMember(accountId);
  const [email, setEmail] = useState('');
  // Least privilege until the admin picks more.
  const [role, setRole] = useState<Role>('viewer');
  const [emailError, setEmailError] = useState<string | undefined>();

  const close = () => {
    onClose();
    invite.reset();
    setEmail('');
    setRole('viewer');
    setEmailError(undefined);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const valid = addMemberBodySchema.shape.email.safeParse(email.trim()).success;
    setEmailError(valid ? undefined : t('validation.email'));
    if (!valid) return;
    invite.mutate(
      { email: email.trim(), role },
      {
        onSuccess: () => {
          setEmail('');
          setRole('viewer');
        },
      },
    );
  };

  const serverInvalid = new Set(invalidFields(invite.error));

  return (
    <Modal opened={opened} onClose={close} title={t('accountSettings.invite.title')} size="lg">
      <Stack>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('accountSettings.invite.email')}
              description={t('accountSettings.invite.hint')}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => {
                setEmail(e.currentTarget.value);
                if (invite.isSuccess) invite.reset();
              }}
              error={emailError ?? (serverInvalid.has('email') ? t('validation.email') : undefined)}
              data-autofocus
              data-testid="invite-email"
            />
            <Select<Role>
              label={t('accountSettings.invite.role')}
              data={roleOptions(t)}
              value={role}
              onChange={(r) => r && setRole(r)}
              allowDeselect={false}
              data-testid="invite-role"
            />
            {invite.isError && serverInvalid.size === 0 && <ErrorAlert error={invite.error} />}
            {invite.isSuccess && (
              <Alert
                color={invite.data.emailStatus === 'failed' ? 'orange' : 'green'}
                data-testid="invite-sent"
              >
                {t(
                  invite.data.emailStatus === 'failed'
                    ? 'accountSettings.invite.emailFailed'
                    : 'accountSettings.invite.sent',
                  { email: invite.data.email },
                )}
              </Alert>
            )}
            {invite.data?.link && (
              // No SMTP server: the email stays local, so the inviter hands the link over (shown once).
              <Alert color="blue" data-testid="invite-link">
                <Stack gap="xs">
                  <Text size="sm">{t('accountSettings.invite.linkHint')}</Text>
                  <Text
                    size="xs"
                    ff="monospace"
                    style={{ wordBreak: 'break-all' }}
                    data-testid="invite-link-url"
                  >
                    {invite.data.link}
                  </Text>
                  <CopyButton value={invite.data.link}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="light" onClick={copy} w="fit-content">
                        {copied ? t('accountSettings.invite.copied') : t('accountSettings.invite.copy')}
                      </Button>
                    )}
                  </CopyButton>
                </Stack>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.close')}
              </Button>
              <Button type="submit" loading={invite.isPending} data-testid="invite-submit">
                {t('accountSettings.invite.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
        <Divider />
        <InvitationsList accountId={accountId} />
      </Stack>
    </Modal>
  );
}
