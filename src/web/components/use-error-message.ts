import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api-client.ts';

/** Turns any failure into a sentence in the user's language: by error code, never by the server's English message. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => (error instanceof ApiError ? t(`errors.${error.code}`) : t('errors.UNKNOWN'));
}
