import { useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/auth.ts';

/**
 * Shows the UI in the user's language, or the browser's when they chose none (null).
 * A layout effect, so the first paint after login is already in the right language.
 */
export function useUserLanguage(language: Language | null | undefined): void {
  const { i18n } = useTranslation();
  useLayoutEffect(() => {
    if (language === undefined) return; // not loaded yet: keep what the browser asked for
    // Without an argument i18next asks its detector (the browser) again.
    void i18n.changeLanguage(language ?? undefined);
  }, [i18n, language]);
}
