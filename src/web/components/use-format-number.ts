import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Formats numbers in the user's language (not the browser's): the one place counts, figures and
 * rates get their digit grouping, so "200,180 selected" and "Select all 200,180" agree.
 */
export function useFormatNumber(): (value: number, options?: Intl.NumberFormatOptions) => string {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback(
    (value: number, options?: Intl.NumberFormatOptions) => value.toLocaleString(language, options),
    [language],
  );
}

/**
 * i18next options for a counted text: `count` picks the plural form ("1 item" / "2 items",
 * "1 Eintrag" / "2 Einträge"), `formatted` is the count as shown.
 */
export function useCountOptions(): (count: number) => { count: number; formatted: string } {
  const format = useFormatNumber();
  return useCallback((count: number) => ({ count, formatted: format(count) }), [format]);
}
