import { isValidElement } from 'react';
import { matchRoutes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { subjectPath, subjectSchema, type Subject } from '../../shared/notifications.ts';
import { routes } from './routes.tsx';
import { sectionOfPath } from './sections.ts';

// One subject of every kind (a list subject for each of its ids).
const SUBJECTS: Subject[] = subjectSchema.shape.kind.options.flatMap((kind): Subject[] =>
  kind === 'element_list'
    ? [
        { kind, id: 'template' },
        { kind, id: 'mailing' },
      ]
    : [{ kind, id: '42' }],
);

describe("a notification's link", () => {
  it.each(SUBJECTS.map((subject) => [`${subject.kind} ${subject.id}`, subject] as const))(
    '(%s) lands on a page of its section, not on "not found"',
    (_, subject) => {
      const path = subjectPath('7', subject);
      const matches = matchRoutes(routes, path);
      expect(matches, path).not.toBeNull();
      const page = matches!.at(-1)!.route;
      // '*' is the catch-all "not found"; a module's own '/*' (e.g. mailings/*) routes further inside.
      expect(page.path, path).not.toBe('*');
      // The page is guarded by the section the path names (the link opens where the navbar says it is).
      const element = page.element;
      expect(isValidElement(element), path).toBe(true);
      expect((element as { props: { section?: string } }).props.section, path).toBe(sectionOfPath(path));
    },
  );

  it('would notice a link to nowhere', () => {
    expect(matchRoutes(routes, '/accounts/7/distributions/42')!.at(-1)!.route.path).toBe('*');
  });
});
