import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { isSessionLost } from '../api-client.ts';
import { SessionContext } from './session-context.ts';
import { useMe } from './use-me.ts';
import { useUserLanguage } from './use-user-language.ts';

/** Gate of every page behind the login: loads /api/me, sends a missing session to /login, provides the session. */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const { data: me, error, refetch } = useMe();
  useUserLanguage(me?.user.language);

  // Checked before the data: a session that ended keeps its old data in the cache.
  if (isSessionLost(error)) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (!me) {
    if (error) return <ErrorAlert error={error} m="xl" onRetry={() => void refetch()} />;
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  return (
    <SessionContext value={me}>
      <Outlet />
    </SessionContext>
  );
}
