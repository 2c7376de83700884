import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/auth.ts';
import {
  occurrencesLine,
  renderNotification,
  textFormat,
  TYPE_LABELS,
  type RenderedNotification,
} from '../../../shared/notification-texts.ts';
import { useDisplayTimeZone } from '../../app/use-display-time-zone.ts';
import type { Notification } from '../../../shared/notifications.ts';

/** The UI's current language as the shared texts know it. */
export function useUiLanguage(): Language {
  const { i18n } = useTranslation();
  return LANGUAGES.find((language) => language === i18n.resolvedLanguage) ?? 'en';
}

export interface NotificationTexts extends RenderedNotification {
  /** "Happened 6× since …", or '' for a single occurrence. */
  occurrences: string;
}

/**
 * Title, body and guidance of a notification in the UI's language (the same texts as its email),
 * times in the browser's time zone. Parameters the texts cannot read (a message stored by an
 * older release) fall back to the type's name rather than breaking the page.
 */
export function useRenderNotification(): (notification: Notification) => NotificationTexts {
  const language = useUiLanguage();
  const timeZone = useDisplayTimeZone();
  const format = useMemo(() => textFormat(language, timeZone), [language, timeZone]);
  return (notification) => {
    const occurrences = occurrencesLine(language, notification.occurrences, notification.firstAt, format);
    try {
      return {
        ...renderNotification(language, notification.type, notification.params, format),
        occurrences,
      };
    } catch {
      const title = TYPE_LABELS[language][notification.type];
      return { title, body: '', guidance: '', occurrences };
    }
  };
}
