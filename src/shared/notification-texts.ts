import type { Language } from './auth.ts';
import type { MailingFailureReason } from './mailings.ts';
import type { DistributionReason, ElementKind } from './distribution.ts';
import { notificationParamSchemas, type NotificationParams, type NotificationType } from './notifications.ts';

/**
 * English and German texts for every notification type: title, body and guidance (what to do).
 * Shared by the web UI and the system-message emails so both say the same thing. Parameters are
 * plain values; callers escape them for HTML.
 */

export interface RenderedNotification {
  title: string;
  body: string;
  guidance: string;
}

/** How to show numbers and times in the reader's language, in their display zone (named) when given. */
export interface TextFormat {
  number(n: number): string;
  dateTime(iso: string): string;
}

export function textFormat(language: Language, timeZone?: string): TextFormat {
  // The same locale as the web UI's other dates (use-format-date-time.ts).
  const locale = language;
  const numbers = new Intl.NumberFormat(locale);
  // dateStyle cannot be combined with timeZoneName, hence the explicit fields.
  const times = new Intl.DateTimeFormat(
    locale,
    timeZone
      ? {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone,
          timeZoneName: 'short',
        }
      : { dateStyle: 'medium', timeStyle: 'short' },
  );
  return { number: (n) => numbers.format(n), dateTime: (iso) => times.format(new Date(iso)) };
}

type Texts = {
  [T in NotificationType]: (p: NotificationParams<T>, f: TextFormat) => RenderedNotification;
};

const FTP_CAUSE: Record<Language, Record<NotificationParams<'ftp_import.failed'>['cause'], string>> = {
  en: {
    unreachable: 'the FTP server could not be reached',
    auth_failed: 'the credentials were not accepted',
    decrypt_failed: 'the import file could not be decrypted',
    unpack_failed: 'the import file could not be unpacked',
    file_missing: 'the import file was not found on the server',
    parse_failed: 'the import file could not be read',
    not_permitted: 'the user this import runs as may no longer import contacts',
  },
  de: {
    unreachable: 'FTP-Server nicht erreichbar',
    auth_failed: 'Zugangsdaten nicht korrekt',
    decrypt_failed: 'Fehler beim Entschlüsseln der Importdatei',
    unpack_failed: 'Fehler beim Entpacken der Importdatei',
    file_missing: 'Importdatei auf dem Server nicht gefunden',
    parse_failed: 'Importdatei nicht lesbar',
    not_permitted: 'der Benutzer, als der dieser Import läuft, darf keine Kontakte mehr importieren',
  },
};

const FTP_GUIDANCE: Record<Language, Record<NotificationParams<'ftp_import.failed'>['cause'], string>> = {
  en: {
    unreachable:
      'Check the host name and port in the import settings and whether the server accepts connections from Herald.',
    auth_failed: 'Check the user name, password or key in the import settings.',
    decrypt_failed:
      "Check that the file is encrypted for this account's PGP key and that the stored key and passphrase are current.",
    unpack_failed: 'Check that the file is a valid ZIP archive and is not still being uploaded.',
    file_missing: 'Check the directory and file name pattern in the import settings.',
    parse_failed: 'Check the file format (CSV, delimiter, encoding) against the import settings.',
    not_permitted:
      'Someone allowed to import contacts should save the import source again; it then runs as them.',
  },
  de: {
    unreachable:
      'Prüfen Sie Hostname und Port in den Importeinstellungen und ob der Server Verbindungen von Herald annimmt.',
    auth_failed: 'Prüfen Sie Benutzername, Passwort bzw. Schlüssel in den Importeinstellungen.',
    decrypt_failed:
      'Prüfen Sie, ob die Datei für den PGP-Schlüssel dieses Kontos verschlüsselt ist und ob Schlüssel und Passphrase aktuell sind.',
    unpack_failed: 'Prüfen Sie, ob die Datei ein gültiges ZIP-Archiv ist und nicht noch hochgeladen wird.',
    file_missing: 'Prüfen Sie Verzeichnis und Dateinamensmuster in den Importeinstellungen.',
    parse_failed: 'Prüfen Sie das Dateiformat (CSV, Trennzeichen, Kodierung) anhand der Importeinstellungen.',
    not_permitted:
      'Jemand mit dem Recht, Kontakte zu importieren, sollte die Importquelle erneut speichern; sie läuft dann unter seinem Namen.',
  },
};

/**
 * A message from a library or a remote system ("All configured authentication methods failed")
 * is not ours to translate: it follows the translated cause on its own line, labelled as the
 * original technical detail, so a German text never reads as if it were half English.
 */
function technicalDetail(language: Language, detail: string): string {
  if (!detail.trim()) return '';
  return language === 'de'
    ? `\nTechnisches Detail (Originalmeldung): ${detail}`
    : `\nTechnical detail (original message): ${detail}`;
}

const ELEMENT: Record<Language, Record<'template' | 'mailing', string>> = {
  en: { template: 'Template', mailing: 'Mailing' },
  de: { template: 'Template', mailing: 'Mailing' },
};

/** A distribution target's reason in words (stable codes of distribution.ts). */
export const DISTRIBUTION_REASON: Record<Language, Record<DistributionReason, string>> = {
  en: {
    missing_substitute: 'a substitute is missing',
    substitute_deleted: 'the registered substitute was deleted',
    reference_deleted: 'a part of the element was deleted in the source account',
    name_conflict: 'an element of the same name exists there',
    kind_not_allowed: 'the account does not accept this kind of element',
    not_descendant: 'the account is not below the source account',
    copy_in_use: 'the copy is scheduled, being sent or was sent',
    no_copy: 'the account has no copy of the element',
    locally_modified: 'the copy was changed there since the last distribution (skipped)',
    kept_local: 'the local changes were kept (skipped)',
    transaction_failed: 'an unexpected error; nothing was changed there',
    not_permitted: 'the user who started it no longer holds the right to distribute',
  },
  de: {
    missing_substitute: 'ein Stellvertreter fehlt',
    substitute_deleted: 'der eingetragene Stellvertreter wurde gelöscht',
    reference_deleted: 'ein Bestandteil des Elements wurde im Quellkonto gelöscht',
    name_conflict: 'dort gibt es schon ein Element mit diesem Namen',
    kind_not_allowed: 'das Konto nimmt diese Art von Element nicht an',
    not_descendant: 'das Konto liegt nicht unter dem Quellkonto',
    copy_in_use: 'die Kopie ist eingeplant, wird versendet oder wurde versendet',
    no_copy: 'das Konto hat keine Kopie des Elements',
    locally_modified: 'die Kopie wurde dort seit der letzten Verteilung geändert (übersprungen)',
    kept_local: 'die lokalen Änderungen wurden behalten (übersprungen)',
    transaction_failed: 'ein unerwarteter Fehler; dort wurde nichts geändert',
    not_permitted: 'wer sie gestartet hat, darf nicht mehr verteilen',
  },
};

const PART_KIND: Record<Language, Record<ElementKind, string>> = {
  en: {
    email_template: 'email template',
    sms_template: 'SMS template',
    mailing: 'mailing',
    subscriber_list: 'subscriber list',
    target_group: 'target group',
    sender_profile: 'sender profile',
  },
  de: {
    email_template: 'E-Mail-Template',
    sms_template: 'SMS-Template',
    mailing: 'Mailing',
    subscriber_list: 'Abonnentenliste',
    target_group: 'Zielgruppe',
    sender_profile: 'Absenderprofil',
  },
};

/** A target's reason: the translated code with the parts it names, else the stored English words. */
function distributionWhy(
  language: Language,
  p: { reason: string | null; code?: DistributionReason; missing?: { kind: ElementKind; name: string }[] },
): string {
  if (!p.code) return p.reason ?? (language === 'de' ? 'unbekannte Ursache' : 'unknown reason');
  const parts = (p.missing ?? []).map((m) =>
    language === 'de' ? `${PART_KIND.de[m.kind]} „${m.name}“` : `${PART_KIND.en[m.kind]} "${m.name}"`,
  );
  const words = DISTRIBUTION_REASON[language][p.code];
  if (!parts.length) return words;
  return language === 'de' ? `${words} für ${parts.join(', ')}` : `${words} for ${parts.join(', ')}`;
}

/** A whole-action failure reason in words (stable codes; the raw `error` is only the fallback). */
function failureReason(language: Language, p: NotificationParams<'bulk_action.failed'>): string {
  const t = p.target;
  if (p.reason === 'file_unreadable')
    return language === 'de'
      ? 'Die Importdatei ließ sich nicht lesen (fehlt oder ist keine CSV-Datei).'
      : 'The import file could not be read (missing, or not a CSV file).';
  if (p.reason === 'mapping_invalid')
    return language === 'de'
      ? 'Die Zuordnung der Spalten passt nicht mehr (z. B. wurde ein benutztes Feld gelöscht).'
      : 'The column mapping no longer fits (a field it uses was deleted, say).';
  if (language === 'de') {
    if (!t) return 'Der Tag bzw. die Liste, auf die sie sich bezog, wurde gelöscht.';
    return t.kind === 'tag'
      ? `Der Tag „${t.name}“, auf den sie sich bezog, wurde gelöscht.`
      : `Die Abonnentenliste „${t.name}“, auf die sie sich bezog, wurde gelöscht.`;
  }
  if (!t) return 'The tag or list it works on was deleted.';
  return `The ${t.kind === 'tag' ? 'tag' : 'subscriber list'} "${t.name}" it works on was deleted.`;
}

/** Why a mailing reached nobody, as a sentence (stable reason codes of mailings.ts). */
const MAILING_REASON: Record<Language, Record<MailingFailureReason, string>> = {
  en: {
    no_recipients: 'The audience had no recipient at the moment of sending.',
    all_failed: 'Every message was refused or bounced by the receiving servers.',
    list_deleted: 'A subscriber list of the mailing was deleted after it was scheduled.',
    target_group_deleted: 'A target group of the mailing was deleted after it was scheduled.',
    target_group_invalid: 'The filter of a target group of the mailing is no longer valid.',
    template_deleted: 'The template of the mailing was deleted after it was scheduled.',
    sender_deleted: 'The sender profile of the mailing was deleted after it was scheduled.',
    not_permitted: 'The user who scheduled the mailing may no longer send messages.',
    send_error: 'The send stopped because of an error.',
    template_inactive: 'The template of the mailing was deactivated after it was scheduled.',
  },
  de: {
    no_recipients: 'Der Verteiler ergab im Moment des Versandes keinen Empfänger.',
    all_failed: 'Jede Nachricht wurde von den empfangenden Servern abgelehnt oder kam zurück.',
    list_deleted: 'Eine Abonnentenliste des Mailings wurde nach dem Einplanen gelöscht.',
    target_group_deleted: 'Eine Zielgruppe des Mailings wurde nach dem Einplanen gelöscht.',
    target_group_invalid: 'Der Filter einer Zielgruppe des Mailings ist nicht mehr gültig.',
    template_deleted: 'Das Template des Mailings wurde nach dem Einplanen gelöscht.',
    sender_deleted: 'Das Absenderprofil des Mailings wurde nach dem Einplanen gelöscht.',
    not_permitted: 'Der Benutzer, der das Mailing eingeplant hat, darf keine Nachrichten mehr versenden.',
    send_error: 'Der Versand wurde wegen eines Fehlers abgebrochen.',
    template_inactive: 'Das Template des Mailings wurde nach dem Einplanen deaktiviert.',
  },
};

/** "„A“, „B“" / "\"A\", \"B\"": every name, quoted in the reader's style. */
function quotedNames(language: Language, refs: readonly { name: string }[]): string {
  return refs.map((r) => (language === 'de' ? `„${r.name}“` : `"${r.name}"`)).join(', ');
}

/** "Subscriber list(s) … with target group(s) …": the audience of a mailing, every part named. */
function audienceWords(
  language: Language,
  p: { subscriberLists: readonly { name: string }[]; targetGroups: readonly { name: string }[] },
): string {
  // A mailing edited down to no list before its slot is still told about, in words that read.
  if (!p.subscriberLists.length)
    return language === 'de' ? 'Ohne Abonnentenliste' : 'Without a subscriber list, the mailing';
  const lists = quotedNames(language, p.subscriberLists);
  const groups = quotedNames(language, p.targetGroups);
  if (language === 'de') {
    const l = p.subscriberLists.length === 1 ? `Abonnentenliste ${lists}` : `Abonnentenlisten ${lists}`;
    if (!p.targetGroups.length) return `${l} (ohne Zielgruppe)`;
    return `${l} mit ${p.targetGroups.length === 1 ? 'Zielgruppe' : 'Zielgruppen'} ${groups}`;
  }
  const l = p.subscriberLists.length === 1 ? `Subscriber list ${lists}` : `Subscriber lists ${lists}`;
  if (!p.targetGroups.length) return `${l} (no target group)`;
  return `${l} with target group${p.targetGroups.length === 1 ? '' : 's'} ${groups}`;
}

const en: Texts = {
  'mailing.send_failed': (p, f) => ({
    title: `Email send failed: ${p.mailing.name}`,
    body:
      `The standard mailing "${p.mailing.name}" reached no recipient. ` +
      `${audienceWords('en', p)} gave ${f.number(p.recipientCount)} recipients at the time of sending. ` +
      MAILING_REASON.en[p.reason],
    guidance:
      "First check the mailing's email statistics. The most common cause is that the chosen combination of " +
      'subscriber list and target group had 0 subscribers at the moment of sending. Often it is only a small ' +
      'slip that a corrected re-send fixes.',
  }),
  'mailing.preflight_empty': (p, f) => ({
    title: `Mailing would reach nobody: ${p.mailing.name}`,
    body:
      `The standard mailing "${p.mailing.name}" is scheduled for ${f.dateTime(p.scheduledFor)}. ` +
      `${audienceWords('en', p)} gives ${f.number(p.recipientCount)} recipients right now.`,
    guidance:
      'Check the subscriber lists and the target group of the mailing and correct them before the slot; ' +
      'otherwise the send will fail. If the audience is meant to fill up by then, nothing needs to be done.',
  }),
  'ftp_import.failed': (p) => ({
    title: `FTP subscriber import failed: ${p.import.name}`,
    body:
      `The file "${p.file}" from ${p.server} could not be imported: ${FTP_CAUSE.en[p.cause]}.` +
      technicalDetail('en', p.detail),
    guidance: FTP_GUIDANCE.en[p.cause],
  }),
  'distribution.source_summary': (p, f) => ({
    title:
      p.operation === 'distribute'
        ? `${ELEMENT.en[p.element.kind]} "${p.element.name}" distributed`
        : `Activation status of ${ELEMENT.en[p.element.kind].toLowerCase()} "${p.element.name}" changed`,
    body:
      `On ${f.dateTime(p.at)}: succeeded in ${f.number(p.succeeded)} target account(s), failed in ${f.number(p.failed)}` +
      (p.skipped ? `, skipped in ${f.number(p.skipped)} (changed there since the last distribution).` : '.') +
      p.failures.map((x) => `\n• ${x.account.name}: ${distributionWhy('en', x)}`).join(''),
    guidance:
      p.failed > 0
        ? 'The most common cause of a failure is a substitute that is not set on the element in a target ' +
          "account, e.g. the template's substitute when distributing an email. Substitutes let the distributed " +
          'element find all its parts in every target account regardless of differing ids. Set the missing ' +
          'substitutes and retry the failed targets.'
        : p.skipped
          ? 'Copies changed in their account were left alone. Distribute again and choose "overwrite" for them if the changes should go.'
          : 'Nothing to do.',
  }),
  'distribution.target_result': (p, f) => ({
    title:
      p.outcome === 'failed'
        ? `Distribution from "${p.sourceAccount.name}" failed: ${p.element.name}`
        : `${ELEMENT.en[p.element.kind]} "${p.element.name}" ${
            {
              created: 'created',
              updated: 'updated',
              unchanged: 'checked (unchanged)',
              skipped: 'left as changed here',
              activated: 'activated',
              deactivated: 'deactivated',
            }[p.outcome]
          } by distribution`,
    body:
      p.outcome === 'failed' || p.outcome === 'skipped'
        ? `The ${ELEMENT.en[p.element.kind].toLowerCase()} "${p.element.name}" from account "${p.sourceAccount.name}" was not applied here on ${f.dateTime(p.at)}: ${distributionWhy('en', p)}.`
        : `Account "${p.sourceAccount.name}" ${p.operation === 'distribute' ? 'distributed' : 'changed the activation status of'} the ${ELEMENT.en[p.element.kind].toLowerCase()} "${p.element.name}" on ${f.dateTime(p.at)}; it was ${
            {
              created: 'created',
              updated: 'updated',
              unchanged: 'already up to date',
              activated: 'activated',
              deactivated: 'deactivated',
            }[p.outcome]
          } here.`,
    guidance:
      p.outcome === 'failed'
        ? 'Most often a substitute is missing on an element of this account. Set it, then ask the source account to distribute again.'
        : p.outcome === 'skipped'
          ? 'Your changes to the copy were kept. The source account can overwrite them by distributing again with "overwrite".'
          : 'Nothing to do.',
  }),
  'bulk_action.finished_with_errors': (p, f) => ({
    title: `Bulk action finished with errors: ${p.action.name}`,
    body: `${f.number(p.succeeded)} of ${f.number(p.total)} contacts succeeded, ${f.number(p.failed)} failed, ${f.number(p.skipped)} skipped.`,
    guidance:
      'Open the stats to see the reasons, download the error log for the affected contacts, and use "Retry failed" once the cause is fixed.',
  }),
  'bulk_action.failed': (p, f) => ({
    title: `Bulk action failed: ${p.action.name}`,
    body: p.reason
      ? `It stopped after ${f.number(p.processed)} of ${f.number(p.total)} contacts: ${failureReason('en', p)}`
      : `It stopped after ${f.number(p.processed)} of ${f.number(p.total)} contacts because a step kept failing.` +
        technicalDetail('en', p.error),
    guidance:
      p.reason === 'target_deleted'
        ? 'Nothing was changed after the deletion. To make this change, create the tag or list again and start a new action.'
        : 'Contacts already processed keep their changes. Open the stats for details; start the action again for the remaining contacts.',
  }),
};

const de: Texts = {
  'mailing.send_failed': (p, f) => ({
    title: `E-Mail-Versand fehlgeschlagen: ${p.mailing.name}`,
    body:
      `Das Standardmailing „${p.mailing.name}“ hat keinen einzigen Empfänger erreicht. ` +
      `${audienceWords('de', p)} ergab ${p.subscriberLists.length ? '' : 'das Mailing '}im Moment des Versandes ${f.number(p.recipientCount)} Empfänger. ` +
      MAILING_REASON.de[p.reason],
    guidance:
      'Bitte prüfen Sie zuerst die E-Mail-Statistik des betroffenen Mailings. Die häufigste Ursache ist, dass ' +
      'die gewählte Kombination aus Abonnentenliste und Zielgruppe im Moment des Versandes 0 Abonnenten ergab. ' +
      'Oft ist es nur ein kleiner Bedienfehler, der sich durch einen korrigierten Nachversand beheben lässt.',
  }),
  'mailing.preflight_empty': (p, f) => ({
    title: `Mailing würde niemanden erreichen: ${p.mailing.name}`,
    body:
      `Das Standardmailing „${p.mailing.name}“ ist für ${f.dateTime(p.scheduledFor)} eingeplant. ` +
      `${audienceWords('de', p)} ergibt ${p.subscriberLists.length ? '' : 'das Mailing '}im Moment ${f.number(p.recipientCount)} Empfänger.`,
    guidance:
      'Prüfen Sie die Abonnentenlisten und die Zielgruppe des Mailings und korrigieren Sie sie vor dem ' +
      'Versandtermin, sonst schlägt der Versand fehl. Füllt sich der Verteiler bis dahin planmäßig, ist nichts zu tun.',
  }),
  'ftp_import.failed': (p) => ({
    title: `FTP-Abonnentenimport fehlgeschlagen: ${p.import.name}`,
    body:
      `Die Datei „${p.file}“ von ${p.server} konnte nicht importiert werden: ${FTP_CAUSE.de[p.cause]}.` +
      technicalDetail('de', p.detail),
    guidance: FTP_GUIDANCE.de[p.cause],
  }),
  'distribution.source_summary': (p, f) => ({
    title:
      p.operation === 'distribute'
        ? `${ELEMENT.de[p.element.kind]} „${p.element.name}“ verteilt`
        : `Aktivierungsstatus von ${ELEMENT.de[p.element.kind]} „${p.element.name}“ geändert`,
    body:
      `Am ${f.dateTime(p.at)}: erfolgreich in ${f.number(p.succeeded)} Zielkonto/-konten, fehlerhaft in ${f.number(p.failed)}` +
      (p.skipped
        ? `, übersprungen in ${f.number(p.skipped)} (dort seit der letzten Verteilung geändert).`
        : '.') +
      p.failures.map((x) => `\n• ${x.account.name}: ${distributionWhy('de', x)}`).join(''),
    guidance:
      p.failed > 0
        ? 'Die häufigste Fehlerursache ist ein nicht eingetragener Stellvertreter am Element eines Zielkontos, ' +
          'etwa der Stellvertreter eines Templates beim Verteilen einer E-Mail. Die Stellvertreter sind notwendig, ' +
          'damit das verteilte Element alle benötigten Bestandteile unabhängig von (eventuell abweichenden) IDs in ' +
          'jedem Zielkonto zuordnen kann. Tragen Sie die fehlenden Stellvertreter ein und wiederholen Sie die fehlgeschlagenen Zielkonten.'
        : p.skipped
          ? 'Im Zielkonto geänderte Kopien blieben unverändert. Verteilen Sie erneut mit „Überschreiben“, wenn die Änderungen weichen sollen.'
          : 'Nichts zu tun.',
  }),
  'distribution.target_result': (p, f) => ({
    title:
      p.outcome === 'failed'
        ? `Verteilung aus „${p.sourceAccount.name}“ fehlgeschlagen: ${p.element.name}`
        : `${ELEMENT.de[p.element.kind]} „${p.element.name}“ durch Verteilung ${
            {
              created: 'neu angelegt',
              updated: 'aktualisiert',
              unchanged: 'geprüft (unverändert)',
              skipped: 'mit lokalen Änderungen belassen',
              activated: 'aktiviert',
              deactivated: 'deaktiviert',
            }[p.outcome]
          }`,
    body:
      p.outcome === 'failed' || p.outcome === 'skipped'
        ? `${ELEMENT.de[p.element.kind]} „${p.element.name}“ aus dem Konto „${p.sourceAccount.name}“ wurde am ${f.dateTime(p.at)} hier nicht übernommen: ${distributionWhy('de', p)}.`
        : `Das Konto „${p.sourceAccount.name}“ hat ${p.operation === 'distribute' ? '' : 'den Aktivierungsstatus von '}${ELEMENT.de[p.element.kind]} „${p.element.name}“ am ${f.dateTime(p.at)} ${p.operation === 'distribute' ? 'verteilt' : 'geändert'}; es wurde hier ${
            {
              created: 'neu angelegt',
              updated: 'aktualisiert',
              unchanged: 'nicht geändert (schon aktuell)',
              activated: 'aktiviert',
              deactivated: 'deaktiviert',
            }[p.outcome]
          }.`,
    guidance:
      p.outcome === 'failed'
        ? 'Meist fehlt ein Stellvertreter an einem Element dieses Kontos. Tragen Sie ihn ein und bitten Sie das Quellkonto, erneut zu verteilen.'
        : p.outcome === 'skipped'
          ? 'Ihre Änderungen an der Kopie blieben erhalten. Das Quellkonto kann sie durch erneutes Verteilen mit „Überschreiben“ ersetzen.'
          : 'Nichts zu tun.',
  }),
  'bulk_action.finished_with_errors': (p, f) => ({
    title: `Massenaktion mit Fehlern beendet: ${p.action.name}`,
    body: `${f.number(p.succeeded)} von ${f.number(p.total)} Kontakten erfolgreich, ${f.number(p.failed)} fehlgeschlagen, ${f.number(p.skipped)} übersprungen.`,
    guidance:
      'Öffnen Sie die Statistik für die Ursachen, laden Sie das Fehlerprotokoll mit den betroffenen Kontakten herunter und nutzen Sie „Fehlgeschlagene wiederholen“, sobald die Ursache behoben ist.',
  }),
  'bulk_action.failed': (p, f) => ({
    title: `Massenaktion fehlgeschlagen: ${p.action.name}`,
    body: p.reason
      ? `Sie wurde nach ${f.number(p.processed)} von ${f.number(p.total)} Kontakten abgebrochen: ${failureReason('de', p)}`
      : `Sie wurde nach ${f.number(p.processed)} von ${f.number(p.total)} Kontakten abgebrochen, weil ein Verarbeitungsschritt wiederholt fehlschlug.` +
        technicalDetail('de', p.error),
    guidance:
      p.reason === 'target_deleted'
        ? 'Nach dem Löschen wurde nichts mehr geändert. Für diese Änderung legen Sie den Tag bzw. die Liste neu an und starten eine neue Aktion.'
        : 'Bereits verarbeitete Kontakte behalten ihre Änderungen. Details zeigt die Statistik; starten Sie die Aktion für die übrigen Kontakte erneut.',
  }),
};

const TEXTS: Record<Language, Texts> = { en, de };

/** Title, body and guidance of a stored notification in the reader's language. */
export function renderNotification(
  language: Language,
  type: NotificationType,
  params: unknown,
  format: TextFormat = textFormat(language),
): RenderedNotification {
  const render = TEXTS[language][type] as (p: unknown, f: TextFormat) => RenderedNotification;
  // Stored params of an older shape are read through the schema (it upgrades them).
  const parsed = notificationParamSchemas[type].safeParse(params);
  return render(parsed.success ? parsed.data : params, format);
}

/** "Happened 6 times since …" for grouped notifications; empty for a single occurrence. */
export function occurrencesLine(
  language: Language,
  occurrences: number,
  firstAt: string,
  format: TextFormat,
): string {
  if (occurrences <= 1) return '';
  return language === 'de'
    ? `${format.number(occurrences)}× aufgetreten seit ${format.dateTime(firstAt)}`
    : `Happened ${format.number(occurrences)}× since ${format.dateTime(firstAt)}`;
}

/** Short names of the types, for filters and the email settings. */
export const TYPE_LABELS: Record<Language, Record<NotificationType, string>> = {
  en: {
    'mailing.send_failed': 'Email send failed',
    'mailing.preflight_empty': 'Scheduled mailing would reach nobody',
    'ftp_import.failed': 'FTP subscriber import failed',
    'distribution.source_summary': 'Element distributed (source account)',
    'distribution.target_result': 'Element distributed (target account)',
    'bulk_action.finished_with_errors': 'Bulk action finished with errors',
    'bulk_action.failed': 'Bulk action failed',
  },
  de: {
    'mailing.send_failed': 'E-Mail-Versand fehlgeschlagen',
    'mailing.preflight_empty': 'Eingeplantes Mailing würde niemanden erreichen',
    'ftp_import.failed': 'FTP-Abonnentenimport fehlgeschlagen',
    'distribution.source_summary': 'Element verteilt (Quellkonto)',
    'distribution.target_result': 'Element verteilt (Zielkonto)',
    'bulk_action.finished_with_errors': 'Massenaktion mit Fehlern beendet',
    'bulk_action.failed': 'Massenaktion fehlgeschlagen',
  },
};
