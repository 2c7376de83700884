import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { timeZoneNames } from '../../shared/time-zones.ts';

/** A searchable choice of IANA time zones (`Europe/Berlin`); `empty` labels the "none chosen" option. */
export function TimeZoneSelect({
  value,
  onChange,
  empty,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null;
  onChange: (zone: string | null) => void;
  empty?: string;
}) {
  const data = useMemo(() => {
    const names = timeZoneNames();
    // A stored zone this browser does not list (another runtime's alias) stays selectable.
    if (value && !names.includes(value)) names.unshift(value);
    const zones = names.map((name) => ({ value: name, label: name.replace(/_/g, ' ') }));
    return empty ? [{ value: '', label: empty }, ...zones] : zones;
  }, [value, empty]);
  return (
    <Select
      {...props}
      data={data}
      value={value ?? (empty ? '' : null)}
      onChange={(zone) => onChange(zone ? zone : null)}
      searchable
      allowDeselect={false}
      limit={50}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
