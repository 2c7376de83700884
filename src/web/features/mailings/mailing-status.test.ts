import { describe, expect, it } from 'vitest';
import { MAILING_STATUSES, type MailingStatus } from '../../../shared/mailings.ts';
import {
  allowedControls,
  canResend,
  controlsFor,
  isEditable,
  MAILING_STATUS_COLORS,
  rowTarget,
} from './mailing-status.ts';

describe('mailing status', () => {
  it('gives every status its colour', () => {
    expect(MAILING_STATUS_COLORS).toEqual({
      draft: 'gray',
      scheduled: 'blue',
      sending: 'cyan',
      paused: 'yellow',
      sent: 'green',
      failed: 'red',
      cancelled: 'dark',
    });
  });

  it('allows the controls each state has', () => {
    const expected: Record<MailingStatus, string[]> = {
      draft: [],
      scheduled: ['pause', 'reschedule', 'cancel'],
      sending: ['pause', 'cancel'],
      paused: ['resume', 'cancel'],
      sent: [],
      failed: [],
      cancelled: [],
    };
    for (const status of MAILING_STATUSES)
      expect(allowedControls({ status, held: false }), status).toEqual(expected[status]);
  });

  it('resumes a scheduled mailing held before its slot instead of pausing it', () => {
    expect(allowedControls({ status: 'scheduled', held: true })).toEqual(['resume', 'reschedule', 'cancel']);
  });

  it('offers controls only to users who may send', () => {
    expect(controlsFor({ status: 'sending', held: false }, ['contacts.view', 'mailings.manage'])).toEqual([]);
    expect(controlsFor({ status: 'sending', held: false }, ['messaging.send'])).toEqual(['pause', 'cancel']);
  });

  it('edits drafts and scheduled mailings, re-sends sent and failed ones', () => {
    expect(MAILING_STATUSES.filter(isEditable)).toEqual(['draft', 'scheduled']);
    expect(MAILING_STATUSES.filter(canResend)).toEqual(['sent', 'failed']);
  });

  it('links a row to the editor while editable, else to the statistics', () => {
    expect(rowTarget({ id: '4', status: 'draft' })).toBe('4');
    expect(rowTarget({ id: '4', status: 'scheduled' })).toBe('4');
    expect(rowTarget({ id: '4', status: 'failed' })).toBe('4/statistics');
    expect(rowTarget({ id: '4', status: 'sending' })).toBe('4/statistics');
  });
});
