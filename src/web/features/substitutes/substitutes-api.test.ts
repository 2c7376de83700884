import { describe, expect, it } from 'vitest';
import { listSubstitutesQuerySchema } from '../../../shared/distribution.ts';
import { ApiError } from '../../app/api-client.ts';
import { deletePath, substituteUsageOf } from '../distribution/substitute-usage.ts';
import { substitutesExportUrl, substitutesQuery } from './substitutes-api.ts';
import { ownElementsPath } from './use-own-elements.ts';

describe('the substitutes list call', () => {
  it('sends only the filters that are set, in the shape the server accepts', () => {
    const text = substitutesQuery(
      { targetAccountId: '5', kind: 'mailing', sourceId: null, search: '  frame ' },
      'c1',
    );
    const query = Object.fromEntries(new URLSearchParams(text));
    expect(query).toEqual({
      targetAccountId: '5',
      kind: 'mailing',
      search: 'frame',
      limit: '100',
      cursor: 'c1',
    });
    expect(listSubstitutesQuerySchema.safeParse(query).success).toBe(true);
    expect(substitutesQuery({ targetAccountId: null, kind: null, sourceId: '8', search: '' }, null)).toBe(
      'sourceId=8&limit=100',
    );
  });

  it('exports with every filter of the table, in the shape the export accepts', () => {
    const url = substitutesExportUrl('1', {
      targetAccountId: '5',
      kind: 'email_template',
      sourceId: '8',
      search: ' Rahmen & Co ',
    });
    expect(url).toBe(
      '/api/accounts/1/substitutes/export.csv?targetAccountId=5&kind=email_template&sourceId=8&search=Rahmen+%26+Co',
    );
    const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
    expect(query).toEqual({
      targetAccountId: '5',
      kind: 'email_template',
      sourceId: '8',
      search: 'Rahmen & Co',
    });
    // The export's query is the list's filters (the server picks them from this schema).
    expect(listSubstitutesQuerySchema.safeParse(query).success).toBe(true);
    expect(
      substitutesExportUrl('1', { targetAccountId: null, kind: null, sourceId: null, search: '  ' }),
    ).toBe('/api/accounts/1/substitutes/export.csv');
  });

  it('lists the account’s own elements of each kind through their list APIs', () => {
    expect(ownElementsPath('1', 'sms_template', 'x')).toBe(
      '/api/accounts/1/templates?channel=sms&limit=100&search=x',
    );
    expect(ownElementsPath('1', 'mailing', '')).toBe('/api/accounts/1/mailings?limit=100');
    expect(ownElementsPath('1', 'subscriber_list', 'x')).toBe('/api/accounts/1/lists');
    expect(ownElementsPath('1', 'target_group', '')).toBe('/api/accounts/1/smart-lists');
    expect(ownElementsPath('1', 'sender_profile', '')).toBe('/api/accounts/1/sender-profiles');
  });
});

describe('a delete refused because the element is a substitute', () => {
  const usage = [{ sourceAccount: { id: '1', name: 'Nordlicht Agency' }, kind: 'email_template' }];

  it('reads the usage from details.usage of 409 SUBSTITUTE_IN_USE, and nothing from other errors', () => {
    expect(substituteUsageOf(new ApiError(409, 'SUBSTITUTE_IN_USE', 'in use', { usage }))).toEqual(usage);
    expect(substituteUsageOf(new ApiError(409, 'SUBSTITUTE_IN_USE', 'in use', {}))).toEqual([]);
    expect(substituteUsageOf(new ApiError(409, 'IN_USE', 'in use', { usage }))).toBeNull();
    expect(substituteUsageOf(null)).toBeNull();
  });

  it('deletes anyway with ?confirm=true', () => {
    expect(deletePath('/api/accounts/1/templates/4', true)).toBe('/api/accounts/1/templates/4?confirm=true');
    expect(deletePath('/api/accounts/1/templates/4', false)).toBe('/api/accounts/1/templates/4');
  });
});
