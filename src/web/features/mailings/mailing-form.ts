import type { AudienceQueryBody, Mailing, MailingBody, ResendMailingBody } from '../../../shared/mailings.ts';
import type { TemplatePreviewBody } from '../../../shared/templates.ts';

/** What the content of a mailing is: an email template, or its own subject and HTML. */
export type ContentSource = 'template' | 'own';

/** The editor's fields, as typed (empty strings for empty fields). */
export interface MailingForm {
  name: string;
  source: ContentSource;
  templateId: string | null;
  subject: string;
  html: string;
  text: string;
  senderProfileId: string | null;
  listIds: string[];
  targetGroupIds: string[];
  tracking: boolean;
}

/** A part the server requires before a mailing can be scheduled (its MAILING_INCOMPLETE names). */
export type MissingPart = 'content' | 'sender' | 'audience';

/** The form of a new mailing (tracking on, as most senders want it) or of a saved one. */
export function formOf(mailing: Mailing | null): MailingForm {
  if (!mailing) {
    return {
      name: '',
      source: 'template',
      templateId: null,
      subject: '',
      html: '',
      text: '',
      senderProfileId: null,
      listIds: [],
      targetGroupIds: [],
      tracking: true,
    };
  }
  // A mailing with own content (or with none yet but a subject typed) opens on its own content.
  const own = mailing.templateId === null && (mailing.subject !== null || mailing.html !== null);
  return {
    name: mailing.name,
    source: own ? 'own' : 'template',
    templateId: mailing.templateId,
    subject: mailing.subject ?? '',
    html: mailing.html ?? '',
    text: mailing.text ?? '',
    senderProfileId: mailing.senderProfileId,
    // Deleted parts stay in the form (shown as deleted) until the user removes them.
    listIds: mailing.lists.map((l) => l.id),
    targetGroupIds: mailing.targetGroups.map((g) => g.id),
    tracking: mailing.tracking,
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text);

/**
 * The body to save. Only the chosen content source is sent, the other cleared (the server takes a
 * template or own content, never both); empty fields go as null, as a draft may lack them.
 */
export function bodyOf(form: MailingForm): MailingBody {
  const content =
    form.source === 'template'
      ? { templateId: form.templateId, subject: null, html: null, text: null }
      : { templateId: null, subject: orNull(form.subject), html: orNull(form.html), text: orNull(form.text) };
  return {
    name: form.name.trim(),
    ...content,
    senderProfileId: form.senderProfileId,
    listIds: [...new Set(form.listIds)],
    targetGroupIds: [...new Set(form.targetGroupIds)],
    tracking: form.tracking,
  };
}

/** The re-send to create from the corrected form. */
export function resendBodyOf(form: MailingForm, includeFailed: boolean): ResendMailingBody {
  return { ...bodyOf(form), includeFailed };
}

/** What scheduling would still miss (the same rule as the server's MAILING_INCOMPLETE). */
export function missingParts(form: MailingForm): MissingPart[] {
  const missing: MissingPart[] = [];
  const hasContent =
    form.source === 'template'
      ? form.templateId !== null
      : orNull(form.subject) !== null && orNull(form.html) !== null;
  if (!hasContent) missing.push('content');
  if (form.senderProfileId === null) missing.push('sender');
  if (form.listIds.length === 0) missing.push('audience');
  return missing;
}

/** True when the two forms would save the same body (nothing to save). */
export function sameBody(a: MailingForm, b: MailingForm): boolean {
  return JSON.stringify(bodyOf(a)) === JSON.stringify(bodyOf(b));
}

/**
 * The missing parts a MAILING_INCOMPLETE answer names in `details.missing` (unknown names are
 * dropped: an older web against a newer server shows the ones it knows).
 */
export function missingFromDetails(details: unknown): MissingPart[] {
  const missing = (details as { missing?: unknown } | null)?.missing;
  if (!Array.isArray(missing)) return [];
  return missing.filter((m): m is MissingPart => m === 'content' || m === 'sender' || m === 'audience');
}

/**
 * What the preview renders for the form (the chosen template, or the own content as typed) for
 * the chosen contact; null while there is nothing to render yet.
 */
export function previewBodyOf(form: MailingForm, contactId: string | null): TemplatePreviewBody | null {
  const contact = contactId ? { contactId } : {};
  if (form.source === 'template') return form.templateId ? { templateId: form.templateId, ...contact } : null;
  if (!form.subject.trim() || !form.html.trim()) return null;
  return {
    channel: 'email',
    subject: form.subject,
    html: form.html,
    text: form.text.trim() ? form.text : null,
    ...contact,
  };
}

/** The live count's question for the form's audience (a re-send's excludes whom its family reached). */
export function audienceBodyOf(
  form: Pick<MailingForm, 'listIds' | 'targetGroupIds'>,
  resend: { resendOf: string; includeFailed: boolean } | null,
  /** Parts deleted since the mailing was saved (shown as deleted): the count is of what is left. */
  gone: { listIds: ReadonlySet<string>; targetGroupIds: ReadonlySet<string> } = {
    listIds: new Set(),
    targetGroupIds: new Set(),
  },
): AudienceQueryBody | null {
  const listIds = [...new Set(form.listIds)].filter((id) => !gone.listIds.has(id));
  if (listIds.length === 0) return null;
  return {
    listIds,
    targetGroupIds: [...new Set(form.targetGroupIds)].filter((id) => !gone.targetGroupIds.has(id)),
    ...(resend ?? {}),
  };
}

/** The parts of a saved mailing that were deleted since (the server answers them as `missing`). */
export function goneParts(saved: Pick<Mailing, 'lists' | 'targetGroups'> | null): {
  listIds: ReadonlySet<string>;
  targetGroupIds: ReadonlySet<string>;
} {
  const ids = (parts: Mailing['lists'] | undefined) =>
    new Set((parts ?? []).filter((p) => p.missing).map((p) => p.id));
  return { listIds: ids(saved?.lists), targetGroupIds: ids(saved?.targetGroups) };
}
