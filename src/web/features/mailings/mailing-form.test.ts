import { describe, expect, it } from 'vitest';
import {
  audienceQueryBodySchema,
  mailingBodySchema,
  mailingSchema,
  resendMailingBodySchema,
  type Mailing,
} from '../../../shared/mailings.ts';
import { templatePreviewBodySchema } from '../../../shared/templates.ts';
import {
  audienceBodyOf,
  bodyOf,
  formOf,
  goneParts,
  missingFromDetails,
  missingParts,
  previewBodyOf,
  resendBodyOf,
  sameBody,
  type MailingForm,
} from './mailing-form.ts';

/** A saved mailing as the API answers it (checked against the shared schema). */
function mailingOf(patch: Partial<Mailing> = {}): Mailing {
  return mailingSchema.parse({
    id: '7',
    name: 'November news',
    status: 'draft',
    templateId: null,
    templateName: null,
    subject: null,
    html: null,
    text: null,
    senderProfileId: null,
    lists: [],
    targetGroups: [],
    tracking: true,
    scheduledFor: null,
    held: false,
    active: true,
    version: 1,
    origin: null,
    rootId: '7',
    resendOf: null,
    includeFailed: false,
    actionId: null,
    recipientsAtSend: null,
    failureReason: null,
    failureDetail: null,
    preflight: null,
    figures: null,
    createdBy: '1',
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...patch,
  });
}

const filled: MailingForm = {
  ...formOf(null),
  name: '  Winter sale ',
  source: 'own',
  subject: 'Hello {{ first_name }}',
  html: '<p>Hi</p>',
  text: '',
  senderProfileId: '3',
  listIds: ['10', '11', '10'],
  targetGroupIds: ['20'],
};

describe('mailing form to body', () => {
  it('starts a new mailing empty, from a template, with tracking on', () => {
    const form = formOf(null);
    expect(form).toMatchObject({ name: '', source: 'template', templateId: null, tracking: true });
    expect(form.listIds).toEqual([]);
  });

  it('sends own content without a template, trims the name, drops duplicate ids, empty text as null', () => {
    const body = bodyOf(filled);
    expect(body).toEqual({
      name: 'Winter sale',
      templateId: null,
      subject: 'Hello {{ first_name }}',
      html: '<p>Hi</p>',
      text: null,
      senderProfileId: '3',
      listIds: ['10', '11'],
      targetGroupIds: ['20'],
      tracking: true,
    });
    expect(mailingBodySchema.safeParse(body).success).toBe(true);
  });

  it('sends a template without own content, even when some was typed before switching', () => {
    const body = bodyOf({ ...filled, source: 'template', templateId: '5' });
    expect(body).toMatchObject({ templateId: '5', subject: null, html: null, text: null });
    expect(mailingBodySchema.safeParse(body).success).toBe(true);
  });

  it('saves an incomplete draft the server accepts (empty fields as null, not empty strings)', () => {
    const body = bodyOf({ ...formOf(null), name: 'Draft', source: 'own' });
    expect(body).toMatchObject({ subject: null, html: null, senderProfileId: null, listIds: [] });
    expect(mailingBodySchema.safeParse(body).success).toBe(true);
  });

  it('reads a saved mailing back into the same body', () => {
    const saved = mailingOf({
      templateId: '5',
      templateName: 'Newsletter',
      senderProfileId: '3',
      lists: [{ id: '10', name: 'Customers', missing: false }],
      targetGroups: [{ id: '20', name: 'Berlin', missing: true }],
      tracking: false,
    });
    const form = formOf(saved);
    expect(form).toMatchObject({
      name: 'November news',
      source: 'template',
      templateId: '5',
      listIds: ['10'],
      // A deleted target group stays until the user removes it (the count names it as a problem).
      targetGroupIds: ['20'],
      tracking: false,
    });
    expect(sameBody(form, formOf(saved))).toBe(true);
    expect(sameBody({ ...form, tracking: true }, formOf(saved))).toBe(false);
  });

  it('opens a mailing with own content on its own content', () => {
    const form = formOf(mailingOf({ subject: 'Hi', html: '<p>x</p>', text: 'x' }));
    expect(form).toMatchObject({ source: 'own', subject: 'Hi', html: '<p>x</p>', text: 'x' });
  });

  it('builds a re-send with includeFailed that the server accepts', () => {
    const body = resendBodyOf(filled, true);
    expect(body).toMatchObject({ includeFailed: true, listIds: ['10', '11'] });
    expect(resendMailingBodySchema.safeParse(body).success).toBe(true);
  });
});

describe('what scheduling still misses', () => {
  it('names content, sender and audience like the server does', () => {
    expect(missingParts(formOf(null))).toEqual(['content', 'sender', 'audience']);
    expect(missingParts(filled)).toEqual([]);
    expect(missingParts({ ...filled, html: '  ' })).toEqual(['content']);
    expect(missingParts({ ...filled, source: 'template', templateId: null })).toEqual(['content']);
    expect(missingParts({ ...filled, senderProfileId: null, listIds: [] })).toEqual(['sender', 'audience']);
  });

  it('reads the server’s MAILING_INCOMPLETE details, ignoring what it does not know', () => {
    expect(missingFromDetails({ missing: ['sender', 'audience'] })).toEqual(['sender', 'audience']);
    expect(missingFromDetails({ missing: ['content', 'colour'] })).toEqual(['content']);
    expect(missingFromDetails(null)).toEqual([]);
    expect(missingFromDetails({ missing: 'content' })).toEqual([]);
  });
});

describe('live count and preview questions', () => {
  it('asks nothing without a list, else the distinct lists and target groups', () => {
    expect(audienceBodyOf({ listIds: [], targetGroupIds: ['20'] }, null)).toBeNull();
    const body = audienceBodyOf({ listIds: ['10', '10'], targetGroupIds: [] }, null);
    expect(body).toEqual({ listIds: ['10'], targetGroupIds: [] });
    expect(audienceQueryBodySchema.safeParse(body).success).toBe(true);
  });

  it('counts a re-send without those its family reached', () => {
    const body = audienceBodyOf(filled, { resendOf: '7', includeFailed: true });
    expect(body).toEqual({
      listIds: ['10', '11'],
      targetGroupIds: ['20'],
      resendOf: '7',
      includeFailed: true,
    });
    expect(audienceQueryBodySchema.safeParse(body).success).toBe(true);
  });

  it('counts what is left of a saved mailing whose parts were deleted since (never asks about them)', () => {
    const saved = mailingOf({
      lists: [
        { id: '10', name: 'Newsletter', missing: false },
        { id: '11', name: '11', missing: true },
      ],
      targetGroups: [{ id: '20', name: '20', missing: true }],
    });
    const gone = goneParts(saved);
    expect(audienceBodyOf({ listIds: ['10', '11'], targetGroupIds: ['20'] }, null, gone)).toEqual({
      listIds: ['10'],
      targetGroupIds: [],
    });
    // Only deleted lists left: nothing to count.
    expect(audienceBodyOf({ listIds: ['11'], targetGroupIds: [] }, null, gone)).toBeNull();
    expect(goneParts(null)).toEqual({ listIds: new Set(), targetGroupIds: new Set() });
  });

  it('previews the chosen template or the own content for the chosen contact', () => {
    expect(previewBodyOf({ ...filled, source: 'template', templateId: null }, null)).toBeNull();
    const template = previewBodyOf({ ...filled, source: 'template', templateId: '5' }, '99');
    expect(template).toEqual({ templateId: '5', contactId: '99' });
    const own = previewBodyOf(filled, null);
    expect(own).toEqual({ channel: 'email', subject: filled.subject, html: filled.html, text: null });
    expect(previewBodyOf({ ...filled, subject: '' }, null)).toBeNull();
    for (const body of [template, own]) expect(templatePreviewBodySchema.safeParse(body).success).toBe(true);
  });
});
