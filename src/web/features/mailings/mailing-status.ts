import type { Mailing, MailingStatus } from '../../../shared/mailings.ts';
import type { Right } from '../../../shared/rights.ts';

/** The badge colour of each status (Mantine colours). */
export const MAILING_STATUS_COLORS: Record<MailingStatus, string> = {
  draft: 'gray',
  scheduled: 'blue',
  sending: 'cyan',
  paused: 'yellow',
  sent: 'green',
  failed: 'red',
  cancelled: 'dark',
};

/** What a user may do to a mailing once it is handed over (each its own server call). */
export type MailingControl = 'pause' | 'resume' | 'cancel' | 'reschedule';

type ControlState = Pick<Mailing, 'status' | 'held'>;

/**
 * The controls a mailing's state allows: a scheduled one can be held (pause), moved or cancelled,
 * a held one resumed; a running one paused or cancelled; a paused one resumed or cancelled. Drafts
 * are scheduled from the editor; ended mailings allow nothing (a re-send is a new mailing).
 */
export function allowedControls(mailing: ControlState): MailingControl[] {
  switch (mailing.status) {
    case 'scheduled':
      return mailing.held ? ['resume', 'reschedule', 'cancel'] : ['pause', 'reschedule', 'cancel'];
    case 'sending':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'draft':
    case 'sent':
    case 'failed':
    case 'cancelled':
      return [];
  }
}

/** The controls this user may use on this mailing (they need `messaging.send`). */
export function controlsFor(mailing: ControlState, rights: readonly Right[]): MailingControl[] {
  return rights.includes('messaging.send') ? allowedControls(mailing) : [];
}

/** A draft, or a scheduled mailing before its send: its content and audience can still change. */
export function isEditable(status: MailingStatus): boolean {
  return status === 'draft' || status === 'scheduled';
}

/** Ended with a send (or a failed one): its statistics exist and it can be re-sent. */
export function canResend(status: MailingStatus): boolean {
  return status === 'sent' || status === 'failed';
}

/** Where a row of the list leads, relative to the list: the editor while editable, else the statistics. */
export function rowTarget(mailing: Pick<Mailing, 'id' | 'status'>): string {
  const id = encodeURIComponent(mailing.id);
  return isEditable(mailing.status) ? id : `${id}/statistics`;
}

/** Who may create, edit and re-send mailings (the server checks again). */
export function mayManageMailings(rights: readonly Right[]): boolean {
  return rights.includes('mailings.manage');
}

/** Who may schedule and send mailings (the server checks again). */
export function maySendMailings(rights: readonly Right[]): boolean {
  return rights.includes('messaging.send');
}
