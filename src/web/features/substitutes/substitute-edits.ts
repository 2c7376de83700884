// The pure logic of the substitutes table's edit mode: which rows the user re-pointed, the PUT
// body of each, the options of a row's select, and saving a few rows at a time with one outcome
// per row. Kept free of React so it is tested without a browser (substitute-edits.test.ts).
import type { PutSubstituteBody, Substitute } from '../../../shared/distribution.ts';

/** One re-pointed row: the row as listed when it was changed, and the chosen substitute. */
export interface SubstituteEdit {
  row: Substitute;
  substituteId: string;
}

/** The edits by substitute (row) id. A row whose choice is back at its current value has none. */
export type SubstituteEdits = ReadonlyMap<string, SubstituteEdit>;

/** An option of a row's select; `missing` flags the current substitute when it was deleted since. */
export interface SubstituteOption {
  value: string;
  label: string;
  missing: boolean;
}

/**
 * The edits after choosing `substituteId` for `row`: choosing the row's current substitute again
 * (or clearing the select) drops its edit, so it no longer counts as changed.
 */
export function chooseSubstitute(
  edits: SubstituteEdits,
  row: Substitute,
  substituteId: string | null,
): SubstituteEdits {
  const next = new Map(edits);
  if (substituteId === null || substituteId === row.substitute.id) next.delete(row.id);
  else next.set(row.id, { row, substituteId });
  return next;
}

/** The value a row's select shows: the chosen substitute, else the current one. */
export function chosenSubstituteId(edits: SubstituteEdits, row: Substitute): string {
  return edits.get(row.id)?.substituteId ?? row.substitute.id;
}

/**
 * The edits still worth saving, in the order they were made: a row reloaded since (another tab,
 * an import) whose current substitute already is the chosen one is no change any more.
 * `current` maps row ids to the rows as loaded now; rows not loaded (filtered away) keep their edit.
 */
export function changedEdits(
  edits: SubstituteEdits,
  current: ReadonlyMap<string, Substitute>,
): SubstituteEdit[] {
  return [...edits.values()].filter(
    (edit) => (current.get(edit.row.id) ?? edit.row).substitute.id !== edit.substituteId,
  );
}

/** The `PUT /substitutes` body that re-points the edit's row to its chosen substitute. */
export function putBodyOf(edit: SubstituteEdit): PutSubstituteBody {
  return {
    targetAccountId: edit.row.targetAccount.id,
    kind: edit.row.kind,
    sourceId: edit.row.source.id,
    substituteId: edit.substituteId,
  };
}

/**
 * The options of a row's select: the candidates of its target and kind (loaded lazily, so maybe
 * none yet), with the current substitute first when they lack it — a deleted one flagged
 * `missing` (its name is empty then: `missingLabel` names it). No value appears twice.
 */
export function substituteOptions(
  row: Substitute,
  candidates: readonly { id: string; name: string }[] | undefined,
  missingLabel: (id: string) => string,
): SubstituteOption[] {
  const options = (candidates ?? []).map((c) => ({ value: c.id, label: c.name, missing: false }));
  if (!options.some((o) => o.value === row.substitute.id))
    options.unshift({
      value: row.substitute.id,
      label: row.substitute.missing ? missingLabel(row.substitute.id) : row.substitute.name,
      missing: row.substitute.missing,
    });
  return options;
}

/** What saving the edits did: the rows saved, and the rows whose PUT failed with its error. */
export interface SaveOutcome {
  saved: string[];
  failed: Map<string, unknown>;
}

/**
 * Saves `edits` through `put` (one call per row), at most `parallel` at a time. A failing row does
 * not stop the others: it is answered in `failed` with its error. Answers when every call ended.
 */
export async function saveEdits(
  edits: readonly SubstituteEdit[],
  put: (body: PutSubstituteBody) => Promise<unknown>,
  parallel = 3,
): Promise<SaveOutcome> {
  const outcome: SaveOutcome = { saved: [], failed: new Map() };
  let next = 0;
  const worker = async () => {
    while (next < edits.length) {
      const edit = edits[next++]!;
      try {
        await put(putBodyOf(edit));
        outcome.saved.push(edit.row.id);
      } catch (error) {
        outcome.failed.set(edit.row.id, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, edits.length)) }, worker));
  return outcome;
}

/** The edits left after saving: only the failed rows stay (with their edit, to try again). */
export function editsAfterSave(edits: SubstituteEdits, outcome: SaveOutcome): SubstituteEdits {
  return new Map([...edits].filter(([id]) => outcome.failed.has(id)));
}
