import type { Language } from '../../../shared/auth.ts';
import type { Notification } from '../../../shared/notifications.ts';
import { occurrencesLine, renderNotification, textFormat } from '../../../shared/notification-texts.ts';

const LABELS = {
  en: {
    account: 'Account',
    whatToDo: 'What to do',
    open: 'Open in Herald',
    footer:
      'You receive this email because "Receive system messages by email" is ticked in your Herald settings.',
    settings: 'Change email settings',
  },
  de: {
    account: 'Account',
    whatToDo: 'Was ist zu tun?',
    open: 'In Herald öffnen',
    footer:
      'Sie erhalten diese E-Mail, weil in Ihren Herald-Einstellungen „Systemnachrichten per E-Mail erhalten“ aktiviert ist.',
    settings: 'E-Mail-Einstellungen ändern',
  },
} as const;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const paragraphs = (s: string): string =>
  s
    .split('\n')
    .map((line) => escapeHtml(line))
    .join('<br>');

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * A notification as an email in the reader's language: the same title, body and guidance as the
 * UI, times in the reader's display zone (theirs, else the account's; named in the text), and a
 * link back to the subject in Herald.
 */
export function renderNotificationEmail(
  notification: Notification,
  language: Language,
  publicUrl: string,
  timeZone = 'UTC',
): RenderedEmail {
  const format = textFormat(language, timeZone);
  const texts = renderNotification(language, notification.type, notification.params, format);
  const repeated = occurrencesLine(language, notification.occurrences, notification.firstAt, format);
  const labels = LABELS[language];
  const base = publicUrl.replace(/\/+$/, '');
  const link = `${base}${notification.path}`;
  const settingsLink = `${base}/me/settings`;
  const subject = `[Herald] ${texts.title}`;
  const text = [
    texts.title,
    `${labels.account}: ${notification.accountName}`,
    repeated,
    '',
    texts.body,
    '',
    `${labels.whatToDo}: ${texts.guidance}`,
    '',
    `${labels.open}: ${link}`,
    '',
    '--',
    labels.footer,
    `${labels.settings}: ${settingsLink}`,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  const html = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; color: #1a1b1e; max-width: 640px">
<h2 style="margin-bottom: 4px">${escapeHtml(texts.title)}</h2>
<p style="color: #555; margin-top: 0">${labels.account}: ${escapeHtml(notification.accountName)}${
    repeated ? ` · ${escapeHtml(repeated)}` : ''
  }</p>
<p>${paragraphs(texts.body)}</p>
<h3>${labels.whatToDo}</h3>
<p>${paragraphs(texts.guidance)}</p>
<p><a href="${escapeHtml(link)}">${labels.open}</a></p>
<hr><p style="color: #777; font-size: 12px">${escapeHtml(labels.footer)}
<a href="${escapeHtml(settingsLink)}">${labels.settings}</a></p>
</body></html>`;
  return { subject, text, html };
}
