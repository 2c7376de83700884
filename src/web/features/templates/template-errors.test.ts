import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client.ts';
import { ROLES } from '../../../shared/rights.ts';
import { canOpenSection } from '../../app/sections.ts';
import { insertAt, templateFieldError, unknownFieldsIn } from './template-errors.ts';
import { mayEditTemplates } from './template-rights.ts';

describe('template errors at the editor fields', () => {
  it('reads syntax errors and unknown fields from TEMPLATE_INVALID, and nothing else', () => {
    expect(
      templateFieldError(
        new ApiError(400, 'TEMPLATE_INVALID', 'x', {
          part: 'html',
          line: 3,
          message: 'tag {% if %} not closed',
        }),
      ),
    ).toEqual({ kind: 'syntax', part: 'html', line: 3, message: 'tag {% if %} not closed' });
    expect(templateFieldError(new ApiError(400, 'TEMPLATE_INVALID', 'x', { fields: ['vorname'] }))).toEqual({
      kind: 'unknownFields',
      fields: ['vorname'],
    });
    expect(templateFieldError(new ApiError(400, 'VALIDATION_FAILED', 'x', { fields: [] }))).toBeNull();
    expect(templateFieldError(new ApiError(400, 'TEMPLATE_INVALID', 'x', { part: 'body' }))).toBeNull();
    expect(templateFieldError(new Error('x'))).toBeNull();
  });

  it('lists at each field the unknown names it uses, as whole names inside tags only', () => {
    const fields = ['vorname', 'plan'];
    expect(unknownFieldsIn('Hallo {{ vorname | default: "x" }}', fields)).toEqual(['vorname']);
    expect(unknownFieldsIn('{% if plan %}{{ plan_b }}{% endif %}', fields)).toEqual(['plan']);
    expect(unknownFieldsIn('vorname and plan outside tags', fields)).toEqual([]);
    expect(unknownFieldsIn('{{ my_vorname }} {{ plans }}', fields)).toEqual([]);
  });

  it('inserts a merge field at the caret or over the selection', () => {
    expect(insertAt('Hallo !', 6, 6, '{{ first_name }}')).toEqual({
      text: 'Hallo {{ first_name }}!',
      caret: 22,
    });
    expect(insertAt('Hallo XXX!', 6, 9, '{{ x }}')).toEqual({ text: 'Hallo {{ x }}!', caret: 13 });
    expect(insertAt('abc', null, null, '{{ x }}')).toEqual({ text: 'abc{{ x }}', caret: 10 });
  });
});

describe('who may open and edit templates', () => {
  it('shows the page to whoever may see contacts, and editing to senders and mailers', () => {
    expect(canOpenSection('templates', ROLES.viewer)).toBe(true);
    expect(canOpenSection('templates', ROLES.observer)).toBe(false);
    expect(mayEditTemplates(ROLES.marketer)).toBe(true);
    expect(mayEditTemplates(['mailings.manage'])).toBe(true);
    expect(mayEditTemplates(ROLES.analyst)).toBe(false);
    expect(mayEditTemplates(ROLES.viewer)).toBe(false);
  });
});
