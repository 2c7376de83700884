import { Button } from '@mantine/core';
import { IconArrowsSplit } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { elementDistributionPath } from './distribution-api.ts';
import { mayDistributeFrom } from './distribution-logic.ts';

/** True when this account's user may distribute its elements into sub-accounts they can see. */
export function useMayDistribute(account: MyAccount): boolean {
  return mayDistributeFrom(account, useSession().accounts);
}

/** "Distribute": links to the element's distribution page; shown only where distributing is possible. */
export function DistributeButton({
  account,
  kind,
  elementId,
  size = 'sm',
}: {
  account: MyAccount;
  kind: DistributableKind;
  elementId: string;
  size?: 'xs' | 'sm';
}) {
  const { t } = useTranslation();
  const may = useMayDistribute(account);
  if (!may) return null;
  return (
    <Button
      component={Link}
      to={elementDistributionPath(account.id, kind, elementId)}
      variant="light"
      size={size}
      leftSection={<IconArrowsSplit size={14} />}
      data-testid="distribute-action"
    >
      {t('distribution.action')}
    </Button>
  );
}
