import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

/**
 * Asks before a destructive step: the question, the error if the step failed, Cancel and a red
 * button. The dialog that uses it owns the mutation; this is only its face.
 */
export function ConfirmDialog({
  opened,
  title,
  text,
  error,
  pending,
  confirmLabel,
  onConfirm,
  onClose,
  confirmTestId,
  dialogTestId,
  focusConfirm = false,
  notice,
}: {
  opened: boolean;
  title: string;
  text: ReactNode;
  /** The failed mutation's error, or null. */
  error: unknown;
  pending: boolean;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  confirmTestId: string;
  dialogTestId?: string;
  focusConfirm?: boolean;
  /** Shown below the question, e.g. why the server refused the step and what a second click does. */
  notice?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} data-testid={dialogTestId}>
      <Stack>
        <Text>{text}</Text>
        {notice}
        {error !== null && error !== undefined && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={pending}
            onClick={onConfirm}
            data-autofocus={focusConfirm || undefined}
            data-testid={confirmTestId}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
