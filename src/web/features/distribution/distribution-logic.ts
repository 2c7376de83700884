// The pure rules of the distribution UI: the request built from the picker, the per-target choices
// for locally modified copies, the order of the plan, colours and progress. Tested without a DOM.
import type { MyAccount } from '../../../shared/auth.ts';
import type {
  DistributionCounts,
  Plan,
  PlanOutcome,
  PlanTarget,
  TargetSpec,
  TargetStatus,
} from '../../../shared/distribution.ts';

/** What the target picker holds: all sub-accounts, a selection of ids, or a name filter. */
export type PickerState =
  { mode: 'all' } | { mode: 'selected'; accountIds: readonly string[] } | { mode: 'name'; filter: string };

/**
 * The `targets` of a plan or distribution request for the picker's state; null when the state
 * names nobody yet (an empty selection, a blank filter), so the buttons stay disabled.
 */
export function targetSpecOf(state: PickerState): TargetSpec | null {
  switch (state.mode) {
    case 'all':
      return { mode: 'all' };
    case 'selected':
      return state.accountIds.length > 0
        ? { mode: 'selected', accountIds: [...new Set(state.accountIds)] }
        : null;
    case 'name': {
      const filter = state.filter.trim().slice(0, 200);
      return filter ? { mode: 'name', filter } : null;
    }
  }
}

/** The accounts a name filter picks (as the server does: part of the name, case-insensitive). */
export function matchesNameFilter(name: string, filter: string): boolean {
  const wanted = filter.trim().toLocaleLowerCase();
  return wanted !== '' && name.toLocaleLowerCase().includes(wanted);
}

/** The user's choice for a target whose copy was changed there. */
export type ModifiedChoice = 'skip' | 'overwrite' | 'keep';

/**
 * `onModified` of the distribution request: only overwrite and keep are named (skip is the
 * server's default); undefined when there is nothing to name.
 */
export function onModifiedOf(
  choices: Readonly<Record<string, ModifiedChoice>>,
): Record<string, 'overwrite' | 'keep'> | undefined {
  const named = Object.entries(choices).filter(
    (entry): entry is [string, 'overwrite' | 'keep'] => entry[1] === 'overwrite' || entry[1] === 'keep',
  );
  return named.length > 0 ? Object.fromEntries(named) : undefined;
}

// Problems first: what needs the user's attention leads the plan.
const OUTCOME_ORDER: readonly PlanOutcome[] = ['fail', 'locally_modified', 'create', 'update', 'unchanged'];

/** The plan's targets by outcome (failures first, then locally modified, create, update, unchanged), each by account name. */
export function groupPlan(plan: Pick<Plan, 'targets'>): { outcome: PlanOutcome; targets: PlanTarget[] }[] {
  return OUTCOME_ORDER.map((outcome) => ({
    outcome,
    targets: plan.targets
      .filter((target) => target.outcome === outcome)
      .sort((a, b) => a.account.name.localeCompare(b.account.name)),
  })).filter((group) => group.targets.length > 0);
}

/** How many targets a distribution started from this plan would write (create or update, or overwrite chosen). */
export function plannedWrites(
  plan: Pick<Plan, 'targets'>,
  choices: Readonly<Record<string, ModifiedChoice>>,
): number {
  return plan.targets.filter(
    (target) =>
      target.outcome === 'create' ||
      target.outcome === 'update' ||
      (target.outcome === 'locally_modified' && choices[target.account.id] === 'overwrite'),
  ).length;
}

/** The badge colour of a plan outcome. */
export const PLAN_OUTCOME_COLORS: Record<PlanOutcome, string> = {
  create: 'green',
  update: 'teal',
  unchanged: 'gray',
  locally_modified: 'yellow',
  fail: 'red',
};

/** The badge colour of a target's status. */
export const TARGET_STATUS_COLORS: Record<TargetStatus, string> = {
  pending: 'blue',
  created: 'green',
  updated: 'green',
  activated: 'green',
  deactivated: 'green',
  unchanged: 'gray',
  skipped: 'yellow',
  failed: 'red',
};

/** The statuses worth a badge beside the progress bar (those with targets), in a stable order. */
export function countedStatuses(counts: DistributionCounts): { status: TargetStatus; count: number }[] {
  const order: readonly TargetStatus[] = [
    'created',
    'updated',
    'activated',
    'deactivated',
    'unchanged',
    'skipped',
    'failed',
    'pending',
  ];
  return order.map((status) => ({ status, count: counts[status] })).filter((entry) => entry.count > 0);
}

/** Share of targets done, 0–100 (a distribution without targets counts as done). */
export function progressPercent(counts: Pick<DistributionCounts, 'total' | 'pending'>): number {
  if (counts.total <= 0) return 100;
  return Math.round(((counts.total - counts.pending) / counts.total) * 100);
}

/** Targets that succeeded (written, found unchanged or status set). */
export function succeededCount(counts: DistributionCounts): number {
  return counts.created + counts.updated + counts.unchanged + counts.activated + counts.deactivated;
}

/** "Retry failed targets" is offered once a distribution has finished with failures. */
export function canRetry(distribution: {
  status: string;
  counts: Pick<DistributionCounts, 'failed'>;
}): boolean {
  return distribution.status !== 'running' && distribution.counts.failed > 0;
}

/**
 * True when the "Distribute" action belongs in this account: the user holds `distribution.manage`
 * there and can see at least one of its sub-accounts (the server checks again).
 */
export function mayDistributeFrom(account: MyAccount, accounts: readonly MyAccount[]): boolean {
  return (
    account.rights.includes('distribution.manage') && accounts.some((other) => other.parentId === account.id)
  );
}

/** The targets of an activation change: every copy, or the chosen accounts (null: none chosen). */
export function activationTargets(all: boolean, accountIds: readonly string[]): TargetSpec | null {
  if (all) return { mode: 'all' };
  return accountIds.length > 0 ? { mode: 'selected', accountIds: [...new Set(accountIds)] } : null;
}
