import { Group } from '@mantine/core';
import type { MyAccount } from '../../../shared/auth.ts';
import type { DistributableKind, Origin } from '../../../shared/distribution.ts';
import { ActivationSwitch } from './activation-switch.tsx';
import { DistributeButton } from './distribute-button.tsx';
import { ActiveBadge, OriginBadge } from './element-badges.tsx';

/**
 * Above a saved template or mailing: its activation status (a switch for who holds
 * `mailings.manage`), where a distributed copy came from, and "Distribute" where possible.
 */
export function ElementStatusBar({
  account,
  kind,
  element,
}: {
  account: MyAccount;
  kind: DistributableKind;
  element: { id: string; active: boolean; origin: Origin | null };
}) {
  const mayChange = account.rights.includes('mailings.manage');
  return (
    <Group gap="sm" data-testid="element-status-bar">
      <ActiveBadge active={element.active} />
      <OriginBadge origin={element.origin} />
      {mayChange && (
        <ActivationSwitch
          accountId={account.id}
          kind={kind}
          elementId={element.id}
          active={element.active}
          mayChange={mayChange}
        />
      )}
      <DistributeButton account={account} kind={kind} elementId={element.id} />
    </Group>
  );
}
