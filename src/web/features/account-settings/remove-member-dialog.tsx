import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/accounts.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
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
    <Modal opened={member !== null} onClose={close} title={t('accountSettings.remove.title')}>
      <Stack>
        <Text>{t('accountSettings.remove.text', { name: member?.name ?? '', account: accountName })}</Text>
        {remove.isError && <ErrorAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => member && remove.mutate(member.userId, { onSuccess: close })}
            data-testid="remove-member-confirm"
          >
            {t('accountSettings.remove.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
