import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useDeleteContact } from '../use-delete-contact.ts';

/** Asks before deleting a contact. */
export function DeleteContactDialog({
  accountId,
  contact,
  onClose,
  onDeleted,
}: {
  accountId: string;
  contact: Contact | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteContact(accountId);

  const close = () => {
    onClose();
    remove.reset();
  };
  const label = contact ? (contact.email ?? contact.phone ?? contact.id) : '';

  return (
    <Modal opened={contact !== null} onClose={close} title={t('contacts.detail.deleteTitle')}>
      <Stack>
        <Text>{t('contacts.detail.deleteText', { name: label })}</Text>
        {remove.isError && <ErrorAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              contact &&
              remove.mutate(contact.id, {
                onSuccess: () => {
                  close();
                  onDeleted();
                },
              })
            }
            data-testid="contact-delete-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
