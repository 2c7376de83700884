// Why a bulk email or SMS was not sent to a recipient, or failed: the reason codes its chunk and
// delivery kinds write, in English and German (stats page, error log, delivery results).
import type { Language } from '../../../shared/auth.ts';
import type { ReasonCatalog } from '../../engine/reasons.ts';
import type { Channel } from '../../../shared/messaging.ts';

export const MESSAGING_REASONS = {
  contact_deleted: { en: 'Contact was deleted', de: 'Kontakt wurde gelöscht' },
  no_consent: { en: 'No consent (unsubscribed)', de: 'Keine Einwilligung (abgemeldet)' },
  no_address: { en: 'No email address or phone number', de: 'Keine E-Mail-Adresse oder Telefonnummer' },
  invalid_address: {
    en: 'Invalid email address or phone number',
    de: 'Ungültige E-Mail-Adresse oder Telefonnummer',
  },
  undeliverable: {
    en: 'Address is undeliverable (hard bounce or complaint)',
    de: 'Adresse ist nicht zustellbar (harter Bounce oder Beschwerde)',
  },
  duplicate_address: {
    en: 'Another contact in this send has the same address',
    de: 'Ein anderer Kontakt in diesem Versand hat dieselbe Adresse',
  },
  hard_bounce: {
    en: 'Rejected by the mail server (hard bounce)',
    de: 'Vom Mailserver abgelehnt (harter Bounce)',
  },
  address_changed: {
    en: 'The address changed after the send was planned',
    de: 'Die Adresse hat sich nach der Planung des Versands geändert',
  },
  smtp_rejected: {
    en: 'The mail server refused the sender, login or content (not the address)',
    de: 'Der Mailserver hat Absender, Anmeldung oder Inhalt abgelehnt (nicht die Adresse)',
  },
  soft_bounce: { en: 'Temporarily rejected (soft bounce)', de: 'Vorübergehend abgelehnt (weicher Bounce)' },
  provider_rejected: { en: 'Rejected by the SMS provider', de: 'Vom SMS-Anbieter abgelehnt' },
  sms_not_configured: { en: 'No SMS provider is set up', de: 'Kein SMS-Anbieter eingerichtet' },
  retries_exhausted: {
    en: 'Still failing after the last retry',
    de: 'Auch nach dem letzten Versuch fehlgeschlagen',
  },
  cancelled: { en: 'Cancelled before it was sent', de: 'Vor dem Versand abgebrochen' },
  render_failed: {
    en: 'The message could not be rendered',
    de: 'Die Nachricht konnte nicht erstellt werden',
  },
} as const satisfies ReasonCatalog;

const count = (n: number, lang: Language) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-US');

/** What a generated name quotes: the subject (email) or the template's name / the text's start (SMS). */
export function messagingTopic(params: {
  templateName?: string | undefined;
  email?: { subject: string } | undefined;
  sms?: { text: string } | undefined;
}): string {
  const raw = params.email?.subject ?? params.templateName ?? params.sms?.text ?? '';
  const flat = raw.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** "Bulk email “Spring sale” to 1,234 contacts" / "Massen-E-Mail „Frühlingsangebot“ an 1.234 Kontakte". */
export function messagingName(channel: Channel, n: number, lang: Language, topic: string): string {
  const de = lang === 'de';
  const quoted = topic ? (de ? ` „${topic}“` : ` “${topic}”`) : '';
  const whom = de
    ? n === 1
      ? '1 Kontakt'
      : `${count(n, lang)} Kontakte`
    : n === 1
      ? '1 contact'
      : `${count(n, lang)} contacts`;
  if (channel === 'email') return de ? `Massen-E-Mail${quoted} an ${whom}` : `Bulk email${quoted} to ${whom}`;
  return de ? `Massen-SMS${quoted} an ${whom}` : `Bulk SMS${quoted} to ${whom}`;
}
