import { describe, expect, it } from 'vitest';
import { messagingSendBodySchema } from '../../../shared/bulk-messaging.ts';
import { confirmedBody, emptySendForm, sendBodyOf, suggestedStart, type SendForm } from './send-form.ts';

const SELECTION = { smartListId: '7' };
// 10:15 in Berlin (winter, UTC+1).
const NOW = new Date('2026-11-30T09:15:00Z');
const AT = { timeZone: 'Europe/Berlin', now: NOW };

function form(channel: 'email' | 'sms', change: Partial<SendForm> = {}): SendForm {
  return { ...emptySendForm(channel), ...change };
}

/** The body, checked against the API's own schema: what the dialog sends, the server accepts. */
function bodyOf(f: SendForm) {
  const result = sendBodyOf(f, SELECTION, AT);
  expect(result.problems).toEqual([]);
  return messagingSendBodySchema.parse(result.body);
}

describe('the send form', () => {
  it('sends a template by id, with the selection, and nothing the user did not choose', () => {
    expect(bodyOf(form('email', { templateId: '12' }))).toEqual({
      channel: 'email',
      selection: SELECTION,
      templateId: '12',
    });
  });

  it('refuses a template send without a template', () => {
    expect(sendBodyOf(form('email'), SELECTION, AT)).toEqual({ body: null, problems: ['templateId'] });
  });

  it('sends inline email content; the text part only when typed', () => {
    const base = { source: 'inline' as const, subject: '  Hallo {{ first_name }} ', html: '<p>Hi</p>' };
    expect(bodyOf(form('email', base)).content).toEqual({
      subject: 'Hallo {{ first_name }}',
      html: '<p>Hi</p>',
    });
    expect(bodyOf(form('email', { ...base, text: 'Hi' })).content).toEqual({
      subject: 'Hallo {{ first_name }}',
      html: '<p>Hi</p>',
      text: 'Hi',
    });
    expect(
      sendBodyOf(form('email', { source: 'inline', subject: ' ', html: '' }), SELECTION, AT).problems,
    ).toEqual(['subject', 'html']);
  });

  it('sends inline SMS text with quiet hours (on unless turned off), never a sender profile', () => {
    const sms = bodyOf(form('sms', { source: 'inline', smsText: 'Frische Brötchen!', senderProfileId: '3' }));
    expect(sms).toEqual({
      channel: 'sms',
      selection: SELECTION,
      content: { text: 'Frische Brötchen!' },
      quietHours: true,
    });
    expect(bodyOf(form('sms', { source: 'inline', smsText: 'x', quietHours: false })).quietHours).toBe(false);
    expect(
      sendBodyOf(form('sms', { source: 'inline', smsText: 'x'.repeat(1_601) }), SELECTION, AT).problems,
    ).toEqual(['smsText']);
  });

  it('passes the chosen sender profile and a typed name for email', () => {
    const body = bodyOf(form('email', { templateId: '1', senderProfileId: '4', name: ' Adventsaktion ' }));
    expect(body.senderProfileId).toBe('4');
    expect(body.name).toBe('Adventsaktion');
  });

  it('reads a later start in the display zone and sends it as an instant', () => {
    const body = bodyOf(form('email', { templateId: '1', when: 'later', startAt: '2026-12-01T08:30' }));
    expect(body.scheduledFor).toBe('2026-12-01T07:30:00.000Z');
    // Without a typed time, the suggested one (the next full hour at least 30 minutes away).
    expect(suggestedStart('Europe/Berlin', NOW)).toBe('2026-11-30T11:00');
    expect(bodyOf(form('email', { templateId: '1', when: 'later' })).scheduledFor).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    expect(
      sendBodyOf(
        form('email', { templateId: '1', when: 'later', startAt: '2026-11-30T10:00' }),
        SELECTION,
        AT,
      ).problems,
    ).toEqual(['startPast']);
  });

  it('maps drip options: weekdays in order, every day as none, the window only when on', () => {
    const drip = { templateId: '1', drip: true, batchSize: 50, intervalMinutes: 30 } as const;
    expect(bodyOf(form('email', { ...drip, weekdays: [5, 1, 3] })).drip).toEqual({
      batchSize: 50,
      intervalMinutes: 30,
      weekdays: [1, 3, 5],
    });
    expect(
      bodyOf(
        form('email', {
          ...drip,
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          windowOn: true,
          windowFrom: '08:00',
          windowTo: '18:30',
        }),
      ).drip,
    ).toEqual({ batchSize: 50, intervalMinutes: 30, window: { from: '08:00', to: '18:30' } });
    // Drip off: no drip, whatever the fields hold.
    expect(bodyOf(form('email', { templateId: '1', batchSize: '' })).drip).toBeUndefined();
  });

  it('names every drip field that is wrong', () => {
    const result = sendBodyOf(
      form('email', {
        templateId: '1',
        drip: true,
        batchSize: '',
        intervalMinutes: 0,
        weekdays: [],
        windowOn: true,
        windowFrom: '09:00',
        windowTo: '09:00',
      }),
      SELECTION,
      AT,
    );
    expect(result.problems).toEqual(['batchSize', 'intervalMinutes', 'weekdays', 'window']);
  });
});

describe('the confirmed body', () => {
  const body = { channel: 'email' as const, selection: SELECTION, templateId: '1' };

  it('carries the previewed count', () => {
    expect(confirmedBody(body, { count: 240, sendable: 200 }, false)).toEqual({
      ...body,
      expectedCount: 240,
    });
  });

  it('starts a send nobody can receive only when the user said so explicitly', () => {
    expect(confirmedBody(body, { count: 3, sendable: 0 }, false)).toBeNull();
    expect(confirmedBody(body, { count: 3, sendable: 0 }, true)).toEqual({
      ...body,
      expectedCount: 3,
      confirmEmpty: true,
    });
  });
});
