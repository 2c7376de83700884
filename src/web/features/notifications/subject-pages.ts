import type { Subject } from '../../../shared/notifications.ts';

/**
 * The subjects whose pages exist in this release. Mailing statistics, templates and FTP imports
 * arrive later: until then a notification about one names it as text instead of linking to a
 * placeholder ("This page arrives with a later release"). Add a kind here when its page ships.
 */
const SUBJECTS_WITH_PAGES: ReadonlySet<Subject['kind']> = new Set(['bulk_action']);

/** True when the notification's link would land on a real page. */
export function hasSubjectPage(subject: Subject): boolean {
  return SUBJECTS_WITH_PAGES.has(subject.kind);
}
