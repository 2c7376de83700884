import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../shared/auth.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
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
    <ConfirmDialog
      opened={token !== null}
      onClose={close}
      title={t('settings.tokens.revokeTitle')}
      text={t('settings.tokens.revokeText', { name: token?.name ?? '' })}
      error={revoke.error}
      pending={revoke.isPending}
      confirmLabel={t('settings.tokens.revoke')}
      onConfirm={() => token && revoke.mutate(token.id, { onSuccess: close })}
      confirmTestId="token-revoke-confirm"
    />
  );
}
