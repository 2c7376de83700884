import { useState } from 'react';
import type { FilterGroup, Selection } from '../../../../shared/contacts.ts';

/**
 * Which contacts are ticked: either the ids ticked one by one (or page by page), or "all matching"
 * the current view minus the rows unticked since.
 */
export type SelectionState =
  { mode: 'ids'; ids: ReadonlySet<string> } | { mode: 'all'; excluded: ReadonlySet<string> };

const NOTHING: SelectionState = { mode: 'ids', ids: new Set() };

export interface ContactSelection {
  state: SelectionState;
  isSelected: (id: string) => boolean;
  toggle: (id: string) => void;
  /** Ticks the given (loaded) rows, or unticks them all when every one is ticked already. */
  togglePage: (ids: readonly string[]) => void;
  selectAllMatching: () => void;
  clear: () => void;
}

/** The selection of one view; another search, filter or SmartList starts from nothing. */
export function useContactSelection(viewKey: string): ContactSelection {
  const [held, setHeld] = useState({ viewKey, state: NOTHING });
  let state = held.state;
  if (held.viewKey !== viewKey) {
    state = NOTHING;
    setHeld({ viewKey, state });
  }
  const set = (next: (current: SelectionState) => SelectionState) =>
    setHeld((h) => ({ viewKey, state: next(h.viewKey === viewKey ? h.state : NOTHING) }));

  const isSelected = (id: string) => (state.mode === 'ids' ? state.ids.has(id) : !state.excluded.has(id));

  return {
    state,
    isSelected,
    toggle: (id) =>
      set((s) =>
        s.mode === 'ids'
          ? { mode: 'ids', ids: toggled(s.ids, id) }
          : { mode: 'all', excluded: toggled(s.excluded, id) },
      ),
    togglePage: (ids) =>
      set((s) => {
        const all = ids.every((id) => (s.mode === 'ids' ? s.ids.has(id) : !s.excluded.has(id)));
        if (s.mode === 'ids') {
          const next = new Set(s.ids);
          for (const id of ids) {
            if (all) next.delete(id);
            else next.add(id);
          }
          return { mode: 'ids', ids: next };
        }
        // Unticking every loaded row of "all matching" leaves nothing anyone would mean: start over.
        if (all) return NOTHING;
        const excluded = new Set(s.excluded);
        for (const id of ids) excluded.delete(id);
        return { mode: 'all', excluded };
      }),
    selectAllMatching: () => set(() => ({ mode: 'all', excluded: new Set() })),
    clear: () => set(() => NOTHING),
  };
}

function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** What the table shows, as far as a selection needs it. */
export interface SelectionBase {
  search: string;
  smartListId: string | null;
  /** The SmartList's filter, once loaded (needed when a search narrows a SmartList). */
  smartListFilter: FilterGroup | null;
  filter: FilterGroup | null;
}

/**
 * The API's selection for "everything the view matches, minus `excluded`": the SmartList by id when
 * nothing narrows it, else the filter (a SmartList's own, and/or the builder's) with the search.
 * Null while a needed SmartList filter is still loading.
 */
export function matchingSelection(base: SelectionBase, excluded: ReadonlySet<string>): Selection | null {
  const excludeIds = excluded.size > 0 ? { excludeIds: [...excluded] } : {};
  const search = base.search.trim();
  const hasFilter = base.filter !== null && base.filter.conditions.length > 0;
  if (base.smartListId && !hasFilter && !search) return { smartListId: base.smartListId, ...excludeIds };
  if (base.smartListId && !base.smartListFilter) return null;
  const parts = [base.smartListId ? base.smartListFilter : null, hasFilter ? base.filter : null].filter(
    (f): f is FilterGroup => f !== null,
  );
  const filter: FilterGroup =
    parts.length === 1 ? parts[0]! : { op: 'and', conditions: parts.length === 0 ? [] : parts };
  return { filter, ...(search ? { search } : {}), ...excludeIds };
}

/** The API's selection for what is ticked, or null for nothing. */
export function selectionOf(state: SelectionState, base: SelectionBase): Selection | null {
  if (state.mode === 'all') return matchingSelection(base, state.excluded);
  return state.ids.size > 0 ? { contactIds: [...state.ids] } : null;
}
