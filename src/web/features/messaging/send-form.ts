// The send dialog's form, and how it becomes the API's body. Kept apart from the dialog so that
// the mapping (and what it refuses) is tested without a browser.
import type { MessagingSendBody } from '../../../shared/bulk-messaging.ts';
import type { Selection } from '../../../shared/contacts.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { fromZonedLocal, toZonedLocal } from '../../../shared/time-zones.ts';

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Everything the dialog asks; strings as the inputs hold them. */
export interface SendForm {
  channel: Channel;
  source: 'template' | 'inline';
  templateId: string | null;
  /** Email inline content. */
  subject: string;
  html: string;
  /** Optional text part of an inline email (generated from the HTML when empty). */
  text: string;
  /** SMS inline content. */
  smsText: string;
  /** Email: null for the account's default sender profile. */
  senderProfileId: string | null;
  name: string;
  when: 'now' | 'later';
  /** Wall-clock `YYYY-MM-DDTHH:mm` in the user's display zone; '' for the suggested time. */
  startAt: string;
  drip: boolean;
  batchSize: number | '';
  intervalMinutes: number | '';
  weekdays: number[];
  /** Restrict drip batches to a time of day. */
  windowOn: boolean;
  windowFrom: string;
  windowTo: string;
  /** SMS: hold messages at night. */
  quietHours: boolean;
}

/** A problem with the form, named after the field it concerns. */
export type SendFormProblem =
  | 'templateId'
  | 'subject'
  | 'html'
  | 'smsText'
  | 'startAt'
  | 'startPast'
  | 'batchSize'
  | 'intervalMinutes'
  | 'weekdays'
  | 'window';

export function emptySendForm(channel: Channel): SendForm {
  return {
    channel,
    source: 'template',
    templateId: null,
    subject: '',
    html: '',
    text: '',
    smsText: '',
    senderProfileId: null,
    name: '',
    when: 'now',
    startAt: '',
    drip: false,
    batchSize: 500,
    intervalMinutes: 60,
    weekdays: [1, 2, 3, 4, 5],
    windowOn: false,
    windowFrom: '09:00',
    windowTo: '17:00',
    quietHours: true,
  };
}

/**
 * The next full hour, at least half an hour away, as wall-clock time in the zone: the first
 * "send later" time offered.
 */
export function suggestedStart(timeZone: string, now: Date): string {
  return `${toZonedLocal(new Date(now.getTime() + 90 * 60_000), timeZone).slice(0, 14)}00`;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_SMS = 1_600;

/**
 * The body for the preview and the start (without `expectedCount` and `confirmEmpty`, which the
 * preview's answer decides), or the problems that keep the form from being sent. `timeZone` is
 * the zone the typed start time is read in (the user's display zone); the body carries an instant.
 */
export function sendBodyOf(
  form: SendForm,
  selection: Selection,
  { timeZone, now }: { timeZone: string; now: Date },
): { body: MessagingSendBody; problems: [] } | { body: null; problems: SendFormProblem[] } {
  const problems: SendFormProblem[] = [];
  const body: MessagingSendBody = { channel: form.channel, selection };

  if (form.source === 'template') {
    if (form.templateId) body.templateId = form.templateId;
    else problems.push('templateId');
  } else if (form.channel === 'email') {
    const subject = form.subject.trim();
    if (!subject) problems.push('subject');
    if (!form.html.trim()) problems.push('html');
    body.content = { subject, html: form.html, ...(form.text.trim() ? { text: form.text } : {}) };
  } else {
    if (!form.smsText.trim() || form.smsText.length > MAX_SMS) problems.push('smsText');
    body.content = { text: form.smsText };
  }

  if (form.channel === 'email' && form.senderProfileId) body.senderProfileId = form.senderProfileId;
  const name = form.name.trim();
  if (name) body.name = name;

  if (form.when === 'later') {
    const at = fromZonedLocal(form.startAt || suggestedStart(timeZone, now), timeZone);
    if (Number.isNaN(at.getTime())) problems.push('startAt');
    else if (at.getTime() <= now.getTime()) problems.push('startPast');
    else body.scheduledFor = at.toISOString();
  }

  if (form.drip) {
    const batchSize = Number(form.batchSize);
    const intervalMinutes = Number(form.intervalMinutes);
    if (form.batchSize === '' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000)
      problems.push('batchSize');
    if (
      form.intervalMinutes === '' ||
      !Number.isInteger(intervalMinutes) ||
      intervalMinutes < 1 ||
      intervalMinutes > 10_080
    )
      problems.push('intervalMinutes');
    const weekdays = WEEKDAYS.filter((day) => form.weekdays.includes(day));
    if (weekdays.length === 0) problems.push('weekdays');
    const windowOk =
      !form.windowOn ||
      (TIME_OF_DAY.test(form.windowFrom) &&
        TIME_OF_DAY.test(form.windowTo) &&
        form.windowFrom !== form.windowTo);
    if (!windowOk) problems.push('window');
    body.drip = {
      batchSize,
      intervalMinutes,
      // Every day is the same as none named: the server reads an absent list as every day.
      ...(weekdays.length < 7 ? { weekdays: [...weekdays] } : {}),
      ...(form.windowOn ? { window: { from: form.windowFrom, to: form.windowTo } } : {}),
    };
  }

  if (form.channel === 'sms') body.quietHours = form.quietHours;

  return problems.length > 0 ? { body: null, problems } : { body, problems: [] };
}

/**
 * What the confirmation sends: the previewed body with the count the user saw, and, when nobody
 * can receive it, the explicit "start anyway" (without it the server answers NO_RECIPIENTS).
 */
export function confirmedBody(
  body: MessagingSendBody,
  preview: { count: number; sendable: number },
  startEmpty: boolean,
): MessagingSendBody | null {
  if (preview.sendable === 0 && !startEmpty) return null;
  return {
    ...body,
    expectedCount: preview.count,
    ...(preview.sendable === 0 ? { confirmEmpty: true } : {}),
  };
}
