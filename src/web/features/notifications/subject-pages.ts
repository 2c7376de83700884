import type { Subject } from '../../../shared/notifications.ts';
import type { Right } from '../../../shared/rights.ts';

/**
 * The subjects whose pages exist in this release; others are named as text instead of linking to
 * a placeholder ("This page arrives with a later release"). Add a kind here when its page ships. An FTP import links to its source on
 * the Imports page (`/imports/ftp/:sourceId`: the Sources tab with its runs); a mailing to its
 * statistics (`/mailings/:id/statistics`).
 */
const SUBJECTS_WITH_PAGES: ReadonlySet<Subject['kind']> = new Set([
  'bulk_action',
  'ftp_import',
  'mailing',
  // Templates have their editor now (…/mailings/templates/:id forwards there); a distribution its
  // page (/distribution/:id); `element_list` the templates or mailings list.
  'template',
  'distribution',
  'element_list',
]);

/** The right a subject's page needs beyond membership (a distribution's page is for distributors only). */
const PAGE_RIGHT: Partial<Record<Subject['kind'], Right>> = { distribution: 'distribution.manage' };

/**
 * True when the notification's link would land on a real page the reader may open: `rights` are
 * theirs in the notification's account (an agency admin gets a distribution's summary but may
 * not open the distribution).
 */
export function hasSubjectPage(subject: Subject, rights: readonly Right[]): boolean {
  const right = PAGE_RIGHT[subject.kind];
  return SUBJECTS_WITH_PAGES.has(subject.kind) && (!right || rights.includes(right));
}
