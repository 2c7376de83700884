import { useTranslation } from 'react-i18next';

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min": durations and time left, in the UI's language. */
export function useFormatDuration(): (ms: number) => string {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (ms) => {
    if (ms < 1_000) return t('bulkActions.duration.ms', { value: number.format(Math.round(ms)) });
    const seconds = Math.round(ms / 1_000);
    if (seconds < 60)
      return t('bulkActions.duration.s', { value: number.format(ms < 10_000 ? ms / 1_000 : seconds) });
    if (seconds < 3_600) return t('bulkActions.duration.m', { m: Math.floor(seconds / 60), s: seconds % 60 });
    const minutes = Math.round(seconds / 60);
    return t('bulkActions.duration.h', { h: Math.floor(minutes / 60), m: minutes % 60 });
  };
}
