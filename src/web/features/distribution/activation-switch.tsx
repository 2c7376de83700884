import { Switch, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { useErrorMessage } from '../../components/use-error-message.ts';
import { useElementActivation } from './use-element-activation.ts';

/**
 * The element's own activation status as a switch labelled "Active" (PUT …/activation). Without
 * `mailings.manage` (`mayChange` false) it only shows the status.
 */
export function ActivationSwitch({
  accountId,
  kind,
  elementId,
  active,
  mayChange,
}: {
  accountId: string;
  kind: DistributableKind;
  elementId: string;
  active: boolean;
  mayChange: boolean;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const activation = useElementActivation(accountId, kind, elementId);
  const shown = activation.isPending && activation.variables !== undefined ? activation.variables : active;
  return (
    <Tooltip
      label={errorMessage(activation.error)}
      disabled={!activation.isError}
      opened={activation.isError}
    >
      <Switch
        label={<Text size="sm">{t('distribution.active.toggle')}</Text>}
        checked={shown}
        disabled={!mayChange || activation.isPending}
        onChange={(event) => activation.mutate(event.currentTarget.checked)}
        data-testid="activation-switch"
        color="green"
      />
    </Tooltip>
  );
}
