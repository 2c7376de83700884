import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DELIVERABILITY_STATES, type DeliverabilityState } from '../../../shared/messaging.ts';

type Channel = 'email' | 'sms';

/** The parts of a SmartList condition "email/phone deliverability is …": address and state. */
export function DeliverabilityConditionParts({
  condition,
  onChange,
  width,
}: {
  condition: { channel: Channel; state: DeliverabilityState };
  onChange: (patch: { channel?: Channel; state?: DeliverabilityState }) => void;
  width: number;
}) {
  const { t } = useTranslation();
  const select = { allowDeselect: false, w: width, comboboxProps: { withinPortal: true } } as const;
  return (
    <>
      <Select<Channel>
        {...select}
        aria-label={t('deliverability.filter.channel')}
        data={(['email', 'sms'] as const).map((channel) => ({
          value: channel,
          label: t(`deliverability.channels.${channel}`),
        }))}
        value={condition.channel}
        onChange={(channel) => channel && onChange({ channel })}
        data-testid="filter-field"
      />
      <Select<DeliverabilityState>
        {...select}
        aria-label={t('deliverability.filter.state')}
        data={DELIVERABILITY_STATES.map((state) => ({
          value: state,
          label: t(`deliverability.states.${state}`),
        }))}
        value={condition.state}
        onChange={(state) => state && onChange({ state })}
        data-testid="filter-value"
      />
    </>
  );
}
