import {
  Alert,
  Button,
  Center,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { PASSWORD_MIN_LENGTH } from '../../../shared/auth.ts';
import { invitationTokenSchema } from '../../../shared/invitations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useAcceptInvitationLink, useInvitationLookup } from './use-invitation-link.ts';

/** The token from `/invitation#token=…` (a fragment never reaches a server log). */
function tokenOf(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && invitationTokenSchema.safeParse(token).success ? token : null;
}

/**
 * /invitation: the page the invitation email links to, without login. A new user chooses their
 * name and password here; someone who has a login is sent to log in and accept there.
 */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const token = tokenOf(useLocation().hash);
  const lookup = useInvitationLookup(token);
  const accept = useAcceptInvitationLink();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ name?: string; password?: string }>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    const found = {
      name: name.trim() ? undefined : t('validation.required'),
      password:
        password.length >= PASSWORD_MIN_LENGTH
          ? undefined
          : t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH }),
    };
    setErrors(found);
    if (found.name || found.password) return;
    accept.mutate({ token, name: name.trim(), password });
  };

  const body = () => {
    if (!token) return <Alert color="red">{t('errors.INVITATION_INVALID')}</Alert>;
    if (lookup.isPending) return <Loader aria-label={t('common.loading')} />;
    if (lookup.isError) return <ErrorAlert error={lookup.error} />;
    const invitation = lookup.data;
    const what = (
      <Text data-testid="invitation-what">
        {t('invitations.link.what', {
          account: invitation.accountName,
          role: t(`roles.${invitation.role}`),
          email: invitation.email,
        })}
      </Text>
    );
    if (accept.isSuccess) {
      return (
        <Stack data-testid="invitation-done">
          <Alert color="green">{t('invitations.link.done')}</Alert>
          <Button component={Link} to="/login">
            {t('invitations.link.toLogin')}
          </Button>
        </Stack>
      );
    }
    if (invitation.hasLogin) {
      return (
        <Stack>
          {what}
          <Text size="sm">{t('invitations.link.hasLogin')}</Text>
          <Button component={Link} to="/me/invitations" data-testid="invitation-login">
            {t('invitations.link.loginToAccept')}
          </Button>
        </Stack>
      );
    }
    return (
      <form onSubmit={submit} noValidate>
        <Stack>
          {what}
          <Text size="xs" c="dimmed">
            {t('invitations.expires', { date: formatDateTime(invitation.expiresAt) })}
          </Text>
          <TextInput label={t('invitations.link.email')} value={invitation.email} readOnly />
          <TextInput
            label={t('invitations.link.name')}
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-testid="invitation-name"
            autoFocus
          />
          <PasswordInput
            label={t('invitations.link.password')}
            description={t('invitations.link.passwordHint', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
            data-testid="invitation-password"
          />
          {accept.isError && <ErrorAlert error={accept.error} />}
          <Button type="submit" loading={accept.isPending} data-testid="invitation-submit" fullWidth>
            {t('invitations.link.submit')}
          </Button>
        </Stack>
      </form>
    );
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460}>
        <Stack>
          <Title order={2}>{t('invitations.link.title')}</Title>
          {body()}
        </Stack>
      </Paper>
    </Center>
  );
}
