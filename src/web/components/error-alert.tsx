import { Alert, Button, type AlertProps } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from './use-error-message.ts';

interface ErrorAlertProps extends Omit<AlertProps, 'title' | 'children'> {
  error: unknown;
  /** Shows a retry button, for failed loads. */
  onRetry?: () => void;
}

/** A failed request, explained in the user's language. */
export function ErrorAlert({ error, onRetry, ...alertProps }: ErrorAlertProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return (
    <Alert color="red" icon={<IconAlertCircle />} data-testid="error-alert" {...alertProps}>
      {errorMessage(error)}
      {onRetry && (
        <Button variant="light" color="red" size="xs" ml="md" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
