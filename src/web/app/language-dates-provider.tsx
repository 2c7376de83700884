import { DatesProvider } from '@mantine/dates';
import 'dayjs/locale/de';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Calendars and date inputs follow the user's language (month and day names, first day of the week). */
export function LanguageDatesProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const german = i18n.language.startsWith('de');
  return (
    <DatesProvider settings={{ locale: german ? 'de' : 'en', firstDayOfWeek: german ? 1 : 0 }}>
      {children}
    </DatesProvider>
  );
}
