import { describe, expect, it } from 'vitest';
import { putSubstituteBodySchema, type Substitute } from '../../../shared/distribution.ts';
import { ApiError } from '../../app/api-client.ts';
import {
  changedEdits,
  chooseSubstitute,
  chosenSubstituteId,
  editsAfterSave,
  putBodyOf,
  saveEdits,
  substituteOptions,
  type SubstituteEdits,
} from './substitute-edits.ts';

const row = (id: string, substituteId: string, missing = false): Substitute => ({
  id,
  targetAccount: { id: '7', name: 'Velo Berlin' },
  kind: 'subscriber_list',
  source: { id: `1${id}`, name: `Liste ${id}`, missing: false },
  substitute: { id: substituteId, name: missing ? '' : `Lokal ${substituteId}`, missing },
  updatedAt: '2026-11-30T10:00:00.000Z',
});

describe('the edit mode’s changed rows', () => {
  const a = row('1', '50');
  const b = row('2', '60');

  it('marks a row changed when another substitute is chosen, and unchanged when its own comes back', () => {
    let edits: SubstituteEdits = new Map();
    edits = chooseSubstitute(edits, a, '51');
    edits = chooseSubstitute(edits, b, '61');
    expect(chosenSubstituteId(edits, a)).toBe('51');
    expect(changedEdits(edits, new Map()).map((e) => e.row.id)).toEqual(['1', '2']);
    edits = chooseSubstitute(edits, a, '50');
    expect(chosenSubstituteId(edits, a)).toBe('50');
    expect(changedEdits(edits, new Map()).map((e) => e.row.id)).toEqual(['2']);
    // Clearing the select is no change either.
    expect(chooseSubstitute(edits, b, null).size).toBe(0);
  });

  it('drops an edit the reloaded row already has, and keeps edits of rows no longer shown', () => {
    const edits = chooseSubstitute(chooseSubstitute(new Map(), a, '51'), b, '61');
    const reloaded = new Map([[a.id, row('1', '51')]]);
    expect(changedEdits(edits, reloaded).map((e) => [e.row.id, e.substituteId])).toEqual([['2', '61']]);
  });

  it('sends one PUT body per changed row, in the shape the server accepts', () => {
    const [edit] = changedEdits(chooseSubstitute(new Map(), a, '51'), new Map());
    const body = putBodyOf(edit!);
    expect(body).toEqual({
      targetAccountId: '7',
      kind: 'subscriber_list',
      sourceId: '11',
      substituteId: '51',
    });
    expect(putSubstituteBodySchema.safeParse(body).success).toBe(true);
  });
});

describe('a row’s select', () => {
  const missingLabel = (id: string) => `#${id} (deleted)`;

  it('offers the candidates, with the current substitute added first when they lack it', () => {
    expect(substituteOptions(row('1', '50'), undefined, missingLabel)).toEqual([
      { value: '50', label: 'Lokal 50', missing: false },
    ]);
    const candidates = [
      { id: '50', name: 'Lokal 50' },
      { id: '51', name: 'Andere' },
    ];
    expect(substituteOptions(row('1', '50'), candidates, missingLabel).map((o) => o.value)).toEqual([
      '50',
      '51',
    ]);
    expect(substituteOptions(row('1', '49'), candidates, missingLabel).map((o) => o.value)).toEqual([
      '49',
      '50',
      '51',
    ]);
  });

  it('flags a deleted current substitute as missing', () => {
    expect(substituteOptions(row('1', '49', true), [{ id: '51', name: 'Andere' }], missingLabel)[0]).toEqual({
      value: '49',
      label: '#49 (deleted)',
      missing: true,
    });
  });
});

describe('saving the edits', () => {
  const rows = ['1', '2', '3', '4', '5'].map((id) => row(id, `5${id}`));
  const edits = rows.reduce<SubstituteEdits>((e, r) => chooseSubstitute(e, r, `9${r.id}`), new Map());

  it('puts every changed row once, a few at a time; a failing row keeps its edit and error, the others are saved', async () => {
    const sent: string[] = [];
    let running = 0;
    let most = 0;
    const failure = new ApiError(400, 'SUBSTITUTE_INVALID', 'not in target');
    const outcome = await saveEdits(
      changedEdits(edits, new Map()),
      async (body) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        sent.push(body.sourceId);
        if (body.sourceId === '13') throw failure;
      },
      2,
    );
    expect(sent.sort()).toEqual(['11', '12', '13', '14', '15']);
    expect(most).toBe(2);
    expect(outcome.saved.sort()).toEqual(['1', '2', '4', '5']);
    expect([...outcome.failed]).toEqual([['3', failure]]);
    const left = editsAfterSave(edits, outcome);
    expect([...left.keys()]).toEqual(['3']);
    expect(chosenSubstituteId(left, rows[2]!)).toBe('93');
  });

  it('does nothing without edits', async () => {
    const outcome = await saveEdits([], () => Promise.reject(new Error('no call expected')));
    expect(outcome).toEqual({ saved: [], failed: new Map() });
  });
});
