import { DateInput, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

/**
 * Date inputs shown in the user's language (de 31.12.2026, en 2026-12-31), not the browser's, as
 * native date inputs would. Both take and give the same strings as the native inputs did: plain
 * days as 'YYYY-MM-DD', wall-clock date-times as 'YYYY-MM-DDTHH:mm', '' for empty.
 */
type FieldProps = Omit<
  DateInputProps,
  'value' | 'defaultValue' | 'onChange' | 'valueFormat' | 'withTime' | 'dateParser'
> & {
  value: string;
  onChange: (value: string) => void;
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads what the user typed: 'DD.MM.YYYY' or 'YYYY-MM-DD', with ' HH:mm' (or 'THH:mm') when `withTime`.
 * Gives Mantine's 'YYYY-MM-DD' / 'YYYY-MM-DD HH:mm:ss', or null while the text is no valid date.
 */
export function parseTypedDate(text: string, withTime: boolean): string | null {
  const match =
    /^\s*(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[\sT]+(\d{1,2}):(\d{2}))?\s*$/.exec(
      text,
    );
  if (!match) return null;
  const year = Number(match[3] ?? match[4]);
  const month = Number(match[2] ?? match[5]);
  const day = Number(match[1] ?? match[6]);
  const hasTime = match[7] !== undefined;
  if (withTime !== hasTime) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  const dayString = `${year}-${pad(month)}-${pad(day)}`;
  if (!withTime) return dayString;
  const hours = Number(match[7]);
  const minutes = Number(match[8]);
  if (hours > 23 || minutes > 59) return null;
  return `${dayString} ${pad(hours)}:${pad(minutes)}:00`;
}

function useDayFormat(): string {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('de') ? 'DD.MM.YYYY' : 'YYYY-MM-DD';
}

/** A plain day ('YYYY-MM-DD'), shown in the user's language. */
export function DateField({ value, onChange, ...props }: FieldProps) {
  const dayFormat = useDayFormat();
  return (
    <DateInput
      {...props}
      valueFormat={dayFormat}
      dateParser={(text) => parseTypedDate(text, false)}
      value={value || null}
      onChange={(next) => onChange(next ? next.slice(0, 10) : '')}
    />
  );
}

/** A wall-clock date-time ('YYYY-MM-DDTHH:mm'), shown in the user's language. */
export function DateTimeField({ value, onChange, ...props }: FieldProps) {
  const dayFormat = useDayFormat();
  return (
    <DateInput
      {...props}
      withTime
      valueFormat={`${dayFormat} HH:mm`}
      dateParser={(text) => parseTypedDate(text, true)}
      value={value ? `${value.replace('T', ' ').slice(0, 16)}:00` : null}
      onChange={(next) => {
        if (!next) return onChange('');
        // A day picked in the calendar comes without a time: keep the one set before.
        const time = next.length > 10 ? next.slice(11, 16) : value.slice(11, 16) || '00:00';
        onChange(`${next.slice(0, 10)}T${time}`);
      }}
    />
  );
}
