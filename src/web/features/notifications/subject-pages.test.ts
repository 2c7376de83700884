import { describe, expect, it } from 'vitest';
import { hasSubjectPage } from './subject-pages.ts';

describe('notification links', () => {
  it('link a distribution only for readers who may distribute in that account', () => {
    const subject = { kind: 'distribution', id: '7' } as const;
    expect(hasSubjectPage(subject, ['notifications.view', 'distribution.manage'])).toBe(true);
    expect(hasSubjectPage(subject, ['notifications.view', 'contacts.view'])).toBe(false);
  });

  it('link the other pages for every reader', () => {
    expect(hasSubjectPage({ kind: 'element_list', id: 'mailing' }, ['notifications.view'])).toBe(true);
    expect(hasSubjectPage({ kind: 'bulk_action', id: '3' }, [])).toBe(true);
  });
});
