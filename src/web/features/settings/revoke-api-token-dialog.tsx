import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../shared/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useRevokeApiToken } from './use-revoke-api-token.ts';

/** Asks before revoking: whatever uses the token stops working at once. */
export function RevokeApiTokenDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();

  const close = () => {
    onClose();
    revoke.reset();
  };

  return (
    <Modal opened={token !== null} onClose={close} title={t('settings.tokens.revokeTitle')}>
      <Stack>
        <Text>{t('settings.tokens.revokeText', { name: token?.name ?? '' })}</Text>
        {revoke.isError && <ErrorAlert error={revoke.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() => token && revoke.mutate(token.id, { onSuccess: close })}
            data-testid="token-revoke-confirm"
          >
            {t('settings.tokens.revoke')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
