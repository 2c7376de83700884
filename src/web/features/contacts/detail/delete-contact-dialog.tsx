import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../../shared/contacts.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
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
    <ConfirmDialog
      opened={contact !== null}
      onClose={close}
      title={t('contacts.detail.deleteTitle')}
      text={t('contacts.detail.deleteText', { name: label })}
      error={remove.error}
      pending={remove.isPending}
      confirmLabel={t('common.delete')}
      onConfirm={() =>
        contact &&
        remove.mutate(contact.id, {
          onSuccess: () => {
            close();
            onDeleted();
          },
        })
      }
      confirmTestId="contact-delete-confirm"
    />
  );
}
