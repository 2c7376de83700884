import { describe, expect, it } from 'vitest';
import type { MyAccount } from '../../../shared/auth.ts';
import {
  createDistributionBodySchema,
  planBodySchema,
  type Plan,
  type PlanTarget,
} from '../../../shared/distribution.ts';
import { ROLES } from '../../../shared/rights.ts';
import {
  activationTargets,
  canRetry,
  countedStatuses,
  groupPlan,
  matchesNameFilter,
  mayDistributeFrom,
  onModifiedOf,
  plannedWrites,
  progressPercent,
  targetSpecOf,
} from './distribution-logic.ts';

const element = { kind: 'mailing', id: '7' } as const;

describe('the request built from the target picker', () => {
  it('asks for all sub-accounts, a selection, or a name filter, in the shape the server accepts', () => {
    for (const spec of [
      targetSpecOf({ mode: 'all' }),
      targetSpecOf({ mode: 'selected', accountIds: ['3', '4', '3'] }),
      targetSpecOf({ mode: 'name', filter: '  Bäckerei ' }),
    ]) {
      expect(spec).not.toBeNull();
      expect(planBodySchema.safeParse({ element, targets: spec }).success).toBe(true);
    }
    expect(targetSpecOf({ mode: 'selected', accountIds: ['3', '4', '3'] })).toEqual({
      mode: 'selected',
      accountIds: ['3', '4'],
    });
    expect(targetSpecOf({ mode: 'name', filter: '  Bäckerei ' })).toEqual({
      mode: 'name',
      filter: 'Bäckerei',
    });
  });

  it('names nobody for an empty selection or a blank filter (the buttons stay off)', () => {
    expect(targetSpecOf({ mode: 'selected', accountIds: [] })).toBeNull();
    expect(targetSpecOf({ mode: 'name', filter: '   ' })).toBeNull();
  });

  it('matches names as the server does: part of the name, any case', () => {
    expect(matchesNameFilter('Bäckerei Hansen', 'bäcker')).toBe(true);
    expect(matchesNameFilter('Café Nord', 'bäcker')).toBe(false);
    expect(matchesNameFilter('Café Nord', ' ')).toBe(false);
  });
});

describe('choices for locally modified copies', () => {
  it('sends only overwrite and keep (skip is the default), nothing when all skip', () => {
    expect(onModifiedOf({ '3': 'overwrite', '4': 'skip', '5': 'keep' })).toEqual({
      '3': 'overwrite',
      '5': 'keep',
    });
    expect(onModifiedOf({ '4': 'skip' })).toBeUndefined();
    const body = { element, targets: { mode: 'all' }, onModified: onModifiedOf({ '3': 'overwrite' }) };
    expect(createDistributionBodySchema.safeParse(body).success).toBe(true);
  });
});

const target = (id: string, name: string, outcome: PlanTarget['outcome']): PlanTarget => ({
  account: { id, name },
  outcome,
  reason:
    outcome === 'fail' ? 'missing_substitute' : outcome === 'locally_modified' ? 'locally_modified' : null,
  detail: null,
  copy: null,
});

describe('the plan', () => {
  const plan: Pick<Plan, 'targets'> = {
    targets: [
      target('1', 'Zeta', 'create'),
      target('2', 'Alpha', 'unchanged'),
      target('3', 'Beta', 'fail'),
      target('4', 'Gamma', 'locally_modified'),
      target('5', 'Delta', 'update'),
      target('6', 'Alpha Nord', 'create'),
    ],
  };

  it('leads with what needs attention: failures, then local changes, then create, update, unchanged', () => {
    const groups = groupPlan(plan);
    expect(groups.map((g) => g.outcome)).toEqual([
      'fail',
      'locally_modified',
      'create',
      'update',
      'unchanged',
    ]);
    expect(groups[2]!.targets.map((t) => t.account.name)).toEqual(['Alpha Nord', 'Zeta']);
  });

  it('leaves out outcomes without targets', () => {
    expect(groupPlan({ targets: [target('1', 'A', 'create')] }).map((g) => g.outcome)).toEqual(['create']);
  });

  it('counts the writes: creates, updates and the locally modified ones chosen to be overwritten', () => {
    expect(plannedWrites(plan, {})).toBe(3);
    expect(plannedWrites(plan, { '4': 'overwrite' })).toBe(4);
    expect(plannedWrites(plan, { '4': 'keep' })).toBe(3);
  });
});

const counts = {
  total: 10,
  pending: 4,
  created: 3,
  updated: 1,
  unchanged: 0,
  skipped: 1,
  activated: 0,
  deactivated: 0,
  failed: 1,
};

describe('progress and retry', () => {
  it('shows the share done and a badge per status with targets', () => {
    expect(progressPercent(counts)).toBe(60);
    expect(progressPercent({ total: 0, pending: 0 })).toBe(100);
    expect(countedStatuses(counts)).toEqual([
      { status: 'created', count: 3 },
      { status: 'updated', count: 1 },
      { status: 'skipped', count: 1 },
      { status: 'failed', count: 1 },
      { status: 'pending', count: 4 },
    ]);
  });

  it('offers the retry once finished with failures only', () => {
    expect(canRetry({ status: 'running', counts })).toBe(false);
    expect(canRetry({ status: 'completed', counts })).toBe(true);
    expect(canRetry({ status: 'completed', counts: { failed: 0 } })).toBe(false);
  });
});

describe('activation across accounts', () => {
  it('targets every copy, or the chosen accounts, or nobody yet', () => {
    expect(activationTargets(true, ['3'])).toEqual({ mode: 'all' });
    expect(activationTargets(false, ['3', '3', '4'])).toEqual({ mode: 'selected', accountIds: ['3', '4'] });
    expect(activationTargets(false, [])).toBeNull();
  });
});

describe('where "Distribute" shows', () => {
  const account = (id: string, parentId: string | null, rights: readonly string[]): MyAccount =>
    ({
      id,
      name: id,
      kind: parentId ? 'sub_account' : 'agency',
      parentId,
      role: 'owner',
      rights,
      timeZone: 'UTC',
    }) as MyAccount;
  const agency = account('1', null, ROLES.owner);
  const sub = account('2', '1', ROLES.owner);

  it('needs distribution.manage and a visible sub-account', () => {
    expect(mayDistributeFrom(agency, [agency, sub])).toBe(true);
    expect(mayDistributeFrom(agency, [agency])).toBe(false);
    expect(mayDistributeFrom(account('1', null, ROLES.admin), [agency, sub])).toBe(false);
    expect(mayDistributeFrom(sub, [agency, sub])).toBe(false);
  });
});
