import { useTranslation } from 'react-i18next';
import { useDisplayTimeZone } from '../app/use-display-time-zone.ts';

/** Formats ISO timestamps from the API in the user's language and display zone (theirs, else the account's). */
export function useFormatDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const timeZone = useDisplayTimeZone();
  const format = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  return (iso) => format.format(new Date(iso));
}
