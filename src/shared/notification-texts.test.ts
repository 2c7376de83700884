import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './auth.ts';
import {
  NOTIFICATION_TYPES,
  notificationParamSchemas,
  severityOf,
  type NotificationEvent,
} from './notifications.ts';
import { occurrencesLine, renderNotification, textFormat, TYPE_LABELS } from './notification-texts.ts';

const ref = (name: string) => ({ id: '1', name });
const at = '2026-11-25T02:00:00.000Z';

/** One example event per type, each valid against its schema. */
const EXAMPLES: NotificationEvent[] = [
  {
    type: 'mailing.send_failed',
    params: {
      mailing: ref('Offers'),
      subscriberLists: [ref('News'), ref('Customers')],
      targetGroups: [ref('Berlin')],
      recipientCount: 0,
      reason: 'no_recipients',
    },
    subject: { kind: 'mailing', id: '1' },
  },
  {
    type: 'mailing.preflight_empty',
    params: {
      mailing: ref('Offers'),
      subscriberLists: [ref('News')],
      targetGroups: [],
      scheduledFor: at,
      recipientCount: 0,
    },
    subject: { kind: 'mailing', id: '1' },
  },
  {
    type: 'ftp_import.failed',
    params: {
      import: ref('daily'),
      cause: 'decrypt_failed',
      server: 'ftps://x',
      file: 'a.pgp',
      detail: 'bad key',
    },
    subject: { kind: 'ftp_import', id: '1' },
  },
  {
    type: 'distribution.source_summary',
    params: {
      element: { ...ref('Master'), kind: 'template' },
      operation: 'distribute',
      at,
      succeeded: 3,
      failed: 1,
      failures: [{ account: ref('Velo'), reason: "Substitute 'Footer' is not set" }],
    },
    subject: { kind: 'template', id: '1' },
  },
  {
    type: 'distribution.target_result',
    params: {
      element: { ...ref('Spring sale'), kind: 'mailing' },
      operation: 'activate',
      sourceAccount: ref('Agency'),
      at,
      outcome: 'activated',
      reason: null,
    },
    subject: { kind: 'mailing', id: '1' },
  },
  {
    type: 'bulk_action.finished_with_errors',
    params: { action: ref('Add tag'), total: 10, succeeded: 8, failed: 1, skipped: 1 },
    subject: { kind: 'bulk_action', id: '1' },
  },
  {
    type: 'bulk_action.failed',
    params: { action: ref('Delete'), processed: 2, total: 10, error: 'timeout' },
    subject: { kind: 'bulk_action', id: '1' },
  },
];

describe('notification texts', () => {
  it('has an example for every type, valid against its schema', () => {
    expect(EXAMPLES.map((e) => e.type).sort()).toEqual([...NOTIFICATION_TYPES].sort());
    for (const e of EXAMPLES) expect(notificationParamSchemas[e.type].safeParse(e.params).success).toBe(true);
  });

  it('renders title, body and guidance in both languages with every parameter filled in', () => {
    for (const language of LANGUAGES) {
      for (const e of EXAMPLES) {
        const text = renderNotification(language, e.type, e.params, textFormat(language, 'UTC'));
        for (const part of [text.title, text.body, text.guidance]) {
          expect(part.length, `${language} ${e.type}`).toBeGreaterThan(5);
          expect(part).not.toMatch(/undefined|null|NaN|\[object/);
        }
        expect(TYPE_LABELS[language][e.type]).toBeTruthy();
      }
    }
  });

  it("names the cause of a failed FTP import in the seed's words", () => {
    const e = EXAMPLES.find((x) => x.type === 'ftp_import.failed')!;
    expect(renderNotification('de', e.type, e.params).body).toContain(
      'Fehler beim Entschlüsseln der Importdatei',
    );
    expect(renderNotification('en', e.type, e.params).body).toContain('could not be decrypted');
  });

  it('shows a library error only as a labelled technical detail after the translated cause', () => {
    const params = {
      import: ref('Daily CRM export'),
      cause: 'auth_failed',
      server: 'sftp://files.example',
      file: 'contacts.csv',
      detail: 'All configured authentication methods failed',
    };
    const de = renderNotification('de', 'ftp_import.failed', params).body;
    expect(de).toContain('konnte nicht importiert werden: Zugangsdaten nicht korrekt.');
    expect(de).toMatch(
      /\nTechnisches Detail \(Originalmeldung\): All configured authentication methods failed$/,
    );
    // The raw text appears nowhere else (not as if it were the German reason).
    expect(de.split('All configured').length).toBe(2);
    const en = renderNotification('en', 'ftp_import.failed', params).body;
    expect(en).toMatch(
      /\nTechnical detail \(original message\): All configured authentication methods failed$/,
    );
    expect(renderNotification('de', 'ftp_import.failed', { ...params, detail: '' }).body).not.toContain(
      'Detail',
    );
  });

  it('says "Konto", never "Account", in German', () => {
    for (const e of EXAMPLES) {
      const text = renderNotification('de', e.type, e.params, textFormat('de', 'UTC'));
      for (const part of [text.title, text.body, text.guidance, TYPE_LABELS.de[e.type]])
        expect(part, e.type).not.toMatch(/account/i);
    }
  });

  it('derives severity from the event', () => {
    expect(EXAMPLES.map(severityOf)).toEqual([
      'error',
      'warning',
      'error',
      'error',
      'info',
      'warning',
      'error',
    ]);
  });

  it("names every list and target group of a failed mailing, the count and the reason, with the seed's guidance", () => {
    const e = EXAMPLES[0]!;
    const en = renderNotification('en', e.type, e.params, textFormat('en', 'UTC'));
    expect(en.body).toContain(
      'Subscriber lists "News", "Customers" with target group "Berlin" gave 0 recipients',
    );
    expect(en.body).toContain('had no recipient at the moment of sending');
    expect(en.guidance).toContain('corrected re-send');
    const de = renderNotification('de', e.type, e.params, textFormat('de', 'UTC'));
    expect(de.body).toContain('Abonnentenlisten „News“, „Customers“ mit Zielgruppe „Berlin“ ergab');
    expect(de.guidance).toContain('korrigierten Nachversand');
    const allFailed = renderNotification('en', e.type, { ...e.params, reason: 'all_failed' });
    expect(allFailed.body).toContain('Every message was refused or bounced');
  });

  it('reads stored send_failed notifications of the first shape (one list, one target group)', () => {
    const old = {
      mailing: ref('Wochenangebote'),
      subscriberList: ref('Newsletter'),
      targetGroup: ref('Berlin'),
      recipientCount: 0,
    };
    const parsed = notificationParamSchemas['mailing.send_failed'].parse(old);
    expect(parsed).toEqual({
      mailing: ref('Wochenangebote'),
      subscriberLists: [ref('Newsletter')],
      targetGroups: [ref('Berlin')],
      recipientCount: 0,
      reason: 'no_recipients',
    });
    const de = renderNotification('de', 'mailing.send_failed', old, textFormat('de', 'UTC'));
    expect(de.body).toContain('Abonnentenliste „Newsletter“ mit Zielgruppe „Berlin“ ergab');
    const noGroup = renderNotification('en', 'mailing.send_failed', { ...old, targetGroup: null });
    expect(noGroup.body).toContain('Subscriber list "Newsletter" (no target group) gave 0');
  });

  it('tells a mailing with no list left in words that read (0 lists allowed)', () => {
    const params = { mailing: ref('Leer'), subscriberLists: [], targetGroups: [], recipientCount: 0 };
    const failed = { ...params, reason: 'no_recipients' };
    expect(notificationParamSchemas['mailing.send_failed'].parse(failed)).toEqual(failed);
    expect(renderNotification('en', 'mailing.send_failed', failed).body).toContain(
      'Without a subscriber list, the mailing gave 0 recipients at the time of sending.',
    );
    expect(renderNotification('de', 'mailing.send_failed', failed, textFormat('de', 'UTC')).body).toContain(
      'Ohne Abonnentenliste ergab das Mailing im Moment des Versandes 0 Empfänger.',
    );
    const empty = { ...params, scheduledFor: at };
    expect(renderNotification('en', 'mailing.preflight_empty', empty).body).toContain(
      'Without a subscriber list, the mailing gives 0 recipients right now.',
    );
    expect(
      renderNotification('de', 'mailing.preflight_empty', empty, textFormat('de', 'UTC')).body,
    ).toContain('Ohne Abonnentenliste ergibt das Mailing im Moment 0 Empfänger.');
  });

  it('says how often a grouped event happened', () => {
    const f = textFormat('en', 'UTC');
    expect(occurrencesLine('en', 1, at, f)).toBe('');
    expect(occurrencesLine('en', 6, at, f)).toMatch(/^Happened 6× since Nov 25, 2026, 02:00 (AM )?UTC$/);
    expect(occurrencesLine('de', 6, at, textFormat('de', 'UTC'))).toMatch(
      /^6× aufgetreten seit 25\. Nov\. 2026, 02:00 UTC$/,
    );
  });
});
