import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { loginBodySchema } from '../../../shared/auth.ts';
import { ApiError } from '../../app/api-client.ts';
import { useMe } from '../../app/auth/use-me.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useLogin } from './use-login.ts';

/** Where to go after login: the page that sent the user here, if it was one of ours. */
function returnPathOf(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const returnPath = returnPathOf(location.state);
  const { data: me } = useMe();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});

  // Logged in, just now or before (a bookmarked /login, the back button): into the app.
  if (me) return <Navigate to={returnPath} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = {
      email: loginBodySchema.shape.email.safeParse(email.trim()).success ? undefined : t('validation.email'),
      password: password ? undefined : t('validation.required'),
    };
    setFieldErrors(errors);
    if (errors.email || errors.password) return;
    // On success the login answer fills the session, and the redirect above takes the user in.
    login.mutate({ email: email.trim(), password });
  };

  // Wrong credentials are the user's typo, not a failure of the app: said plainly, under the form.
  const wrongCredentials = login.error instanceof ApiError && login.error.code === 'INVALID_CREDENTIALS';

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2}>Herald</Title>
              <Text c="dimmed" size="sm">
                {t('login.subtitle')}
              </Text>
            </div>
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldErrors.email}
              data-testid="login-email"
              autoFocus
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldErrors.password}
              data-testid="login-password"
            />
            {login.error && !login.isPending && (
              <ErrorAlert error={login.error} color={wrongCredentials ? 'orange' : 'red'} />
            )}
            <Button type="submit" loading={login.isPending} data-testid="login-submit" fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
