import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../../shared/auth.ts';
import de from '../locales/de.json';
import en from '../locales/en.json';

// Both directions, so a key missing from either locale fails the type check.
const _deHasEveryKeyOfEn: typeof en = de;
const _enHasEveryKeyOfDe: typeof de = en;

/**
 * The UI starts in the browser's language (navigator only: no cookie or storage, so the user's
 * saved setting, applied once /api/me answers, always wins) and falls back to English.
 */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, de: { translation: de } },
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: true, // de-AT, de-CH… → de
    load: 'languageOnly',
    fallbackLng: 'en',
    detection: { order: ['navigator'], caches: [] },
    interpolation: { escapeValue: false }, // React escapes already
    initAsync: false, // resources are bundled: render the first frame translated
  });

// Screen readers and the browser's hyphenation follow the UI language.
const setDocumentLanguage = (language: string) => document.documentElement.setAttribute('lang', language);
setDocumentLanguage(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', () => setDocumentLanguage(i18n.resolvedLanguage ?? 'en'));
