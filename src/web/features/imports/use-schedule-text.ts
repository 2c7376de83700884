import { useTranslation } from 'react-i18next';
import type { ImportSchedule } from '../../../shared/import-sources.ts';

/** ISO weekday (1 = Monday) in the user's language; 2024-01-01 was a Monday. */
export function weekdayName(weekday: number, language: string): string {
  return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, weekday)),
  );
}

/** "Every 15 minutes", "Daily at 06:00", "Weekly on Monday at 06:00", "Only manually". */
export function useScheduleText(): (schedule: ImportSchedule) => string {
  const { t, i18n } = useTranslation();
  return (schedule) => {
    switch (schedule.kind) {
      case 'interval':
        return t('imports.sources.scheduleText.interval', { count: schedule.minutes });
      case 'daily':
        return t('imports.sources.scheduleText.daily', { time: schedule.time });
      case 'weekly':
        return t('imports.sources.scheduleText.weekly', {
          weekday: weekdayName(schedule.weekday, i18n.language),
          time: schedule.time,
        });
      case 'manual':
        return t('imports.sources.scheduleText.manual');
    }
  };
}
