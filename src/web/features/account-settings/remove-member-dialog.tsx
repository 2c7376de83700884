import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/accounts.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useRemoveMember } from './use-remove-member.ts';

interface RemoveMemberDialogProps {
  accountId: string;
  accountName: string;
  /** The member to remove; null keeps the dialog closed. */
  member: Member | null;
  onClose: () => void;
}

/** Asks before taking a user out of the account; their login and other memberships stay. */
export function RemoveMemberDialog({ accountId, accountName, member, onClose }: RemoveMemberDialogProps) {
  const { t } = useTranslation();
  const remove = useRemoveMember(accountId);

  const close = () => {
    onClose();
    remove.reset();
  };

  return (
    <ConfirmDialog
      opened={member !== null}
      onClose={close}
      title={t('accountSettings.remove.title')}
      text={t('accountSettings.remove.text', { name: member?.name ?? '', account: accountName })}
      error={remove.error}
      pending={remove.isPending}
      confirmLabel={t('accountSettings.remove.submit')}
      onConfirm={() => member && remove.mutate(member.userId, { onSuccess: close })}
      confirmTestId="remove-member-confirm"
    />
  );
}
