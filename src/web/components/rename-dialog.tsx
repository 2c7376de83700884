import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

/**
 * Renames one thing: a name field prefilled with the current name, required, and an unchanged
 * name closes without a request. The dialog that uses it owns the mutation.
 */
export function RenameDialog({
  current,
  title,
  label,
  maxLength,
  pending,
  error,
  fieldError = null,
  onRename,
  onClose,
  inputTestId,
  submitTestId,
}: {
  /** The current name; null keeps the dialog closed. */
  current: string | null;
  title: string;
  label: string;
  maxLength: number;
  pending: boolean;
  /** The failed mutation's error, shown as an alert; null when none. */
  error: unknown;
  /** A refusal that belongs at the field (e.g. the name is taken). */
  fieldError?: string | null;
  onRename: (name: string, done: () => void) => void;
  onClose: () => void;
  inputTestId: string;
  submitTestId: string;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  const shown = name ?? current ?? '';

  const close = () => {
    onClose();
    setName(null);
    setEmpty(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (current === null) return;
    if (!shown.trim()) return setEmpty(true);
    setEmpty(false);
    if (shown.trim() === current) return close();
    onRename(shown.trim(), close);
  };

  return (
    <Modal opened={current !== null} onClose={close} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={label}
            value={shown}
            maxLength={maxLength}
            onChange={(e) => setName(e.currentTarget.value)}
            error={empty ? t('validation.required') : fieldError}
            data-autofocus
            data-testid={inputTestId}
          />
          {error !== null && error !== undefined && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid={submitTestId}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
