import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addMemberBodySchema } from '../../../shared/accounts.ts';
import { PASSWORD_MIN_LENGTH } from '../../../shared/auth.ts';
import type { Role } from '../../../shared/rights.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { roleOptions } from './role-options.ts';
import { useAddMember } from './use-add-member.ts';

interface Fields {
  email: string;
  name: string;
  role: Role;
  password: string;
}
// Least privilege until the admin picks more.
const EMPTY: Fields = { email: '', name: '', role: 'viewer', password: '' };

/** Adds a user to the account; someone without a Herald login yet gets one with the first password given here. */
export function AddMemberDialog({
  accountId,
  opened,
  onClose,
}: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const add = useAddMember(accountId);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});

  const set = <K extends keyof Fields>(field: K, value: Fields[K]) =>
    setFields((f) => ({ ...f, [field]: value }));

  const close = () => {
    onClose();
    add.reset();
    setFields(EMPTY);
    setErrors({});
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!addMemberBodySchema.shape.email.safeParse(fields.email.trim()).success)
      found.email = t('validation.email');
    if (!fields.name.trim()) found.name = t('validation.required');
    if (fields.password && fields.password.length < PASSWORD_MIN_LENGTH) {
      found.password = t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH });
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    add.mutate(
      {
        email: fields.email.trim(),
        name: fields.name.trim(),
        role: fields.role,
        ...(fields.password ? { password: fields.password } : {}),
      },
      { onSuccess: close },
    );
  };

  // The server may still refuse a field (a new user without a password, say): mark it where it was typed.
  const serverInvalid = new Set(invalidFields(add.error));
  const errorOf = (field: keyof Fields) =>
    errors[field] ?? (serverInvalid.has(field) ? t(`accountSettings.add.invalid.${field}`) : undefined);

  return (
    <Modal opened={opened} onClose={close} title={t('accountSettings.add.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('accountSettings.add.email')}
            type="email"
            autoComplete="off"
            value={fields.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={errorOf('email')}
            data-autofocus
            data-testid="add-member-email"
          />
          <TextInput
            label={t('accountSettings.add.name')}
            autoComplete="off"
            value={fields.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errorOf('name')}
            data-testid="add-member-name"
          />
          <Select<Role>
            label={t('accountSettings.add.role')}
            data={roleOptions(t)}
            value={fields.role}
            onChange={(role) => role && set('role', role)}
            allowDeselect={false}
            error={errorOf('role')}
            data-testid="add-member-role"
          />
          <PasswordInput
            label={t('accountSettings.add.password')}
            description={t('accountSettings.add.passwordHint', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            value={fields.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={errorOf('password')}
            data-testid="add-member-password"
          />
          {add.isError && serverInvalid.size === 0 && <ErrorAlert error={add.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} data-testid="add-member-submit">
              {t('accountSettings.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
