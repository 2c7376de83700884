// The upload wizard's state and how it becomes the API's ImportSettings (pure: unit-tested).
import type {
  ColumnMapping,
  ColumnTarget,
  FieldPolicy,
  ImportField,
  ImportMode,
  ImportSettings,
} from '../../../shared/imports.ts';
import { IMPORT_FIELDS } from '../../../shared/imports.ts';

export type TagSeparator = ImportSettings['tagSeparator'];
export type MatchBy = ImportSettings['matchBy'];

/** What the mapping and mode steps hold. */
export interface WizardSettings {
  columns: ColumnMapping[];
  fixedTagIds: string[];
  listIds: string[];
  tagSeparator: TagSeparator;
  matchBy: MatchBy;
  mode: ImportMode;
  /** By policy key (see `policyKey`); fields without an entry are overwritten. */
  policies: Record<string, FieldPolicy>;
  blankClears: boolean;
  applyConsent: boolean;
}

/** A fresh wizard for a file: every column as suggested (unsuggested ones skipped), the safe defaults. */
export function initialWizardSettings(
  header: readonly string[],
  suggestions: readonly ColumnMapping[],
): WizardSettings {
  return {
    columns: columnsFor(header, suggestions),
    fixedTagIds: [],
    listIds: [],
    tagSeparator: ',',
    matchBy: 'email',
    mode: 'upsert',
    policies: {},
    blankClears: false,
    applyConsent: false,
  };
}

/**
 * One mapping per header column, in the file's order: the first of `preferred` naming that header,
 * else `fallback`'s, else skip. Loading a saved mapping for a file with other columns keeps the
 * suggestions for the columns the saved one does not know.
 */
export function columnsFor(
  header: readonly string[],
  preferred: readonly ColumnMapping[],
  fallback: readonly ColumnMapping[] = [],
): ColumnMapping[] {
  const find = (list: readonly ColumnMapping[], name: string) => list.find((c) => c.header === name)?.target;
  return header.map((name) => ({
    header: name,
    target: find(preferred, name) ?? find(fallback, name) ?? { kind: 'skip' },
  }));
}

/** A saved mapping's settings laid over a file: its columns by header, its other choices as saved. */
export function wizardFromSaved(
  saved: ImportSettings,
  header: readonly string[],
  suggestions: readonly ColumnMapping[],
): WizardSettings {
  return {
    columns: columnsFor(header, saved.columns, suggestions),
    fixedTagIds: [...saved.fixedTagIds],
    listIds: [...saved.listIds],
    tagSeparator: saved.tagSeparator,
    matchBy: saved.matchBy,
    mode: saved.mode,
    policies: { ...saved.policies },
    blankClears: saved.blankClears,
    applyConsent: saved.applyConsent,
  };
}

/** The key a per-field policy is stored under: the standard field's name or `custom.<key>`; null for tags and skip. */
export function policyKey(target: ColumnTarget): string | null {
  if (target.kind === 'custom') return `custom.${target.key}`;
  if (target.kind === 'tags' || target.kind === 'skip') return null;
  return target.kind;
}

/** The select value of a column target (`email`, `custom:plz`, `tags`, `skip`) and back. */
export function targetValue(target: ColumnTarget): string {
  return target.kind === 'custom' ? `custom:${target.key}` : target.kind;
}

export function parseTargetValue(value: string): ColumnTarget {
  if (value.startsWith('custom:')) return { kind: 'custom', key: value.slice('custom:'.length) };
  if (value === 'tags' || value === 'skip') return { kind: value };
  const field = IMPORT_FIELDS.find((f) => f === value);
  return field ? { kind: field } : { kind: 'skip' };
}

/**
 * The mapped fields that carry a policy, each once, in column order. The match key (`matchBy`) has
 * none: it is what finds the contact, so it never changes on one.
 */
export function policyKeys(columns: readonly ColumnMapping[], matchBy?: MatchBy): string[] {
  const keys = columns
    .map((c) => policyKey(c.target))
    .filter((k): k is string => k !== null && k !== matchBy);
  return [...new Set(keys)];
}

const CONSENT_FIELDS: readonly ImportField[] = ['email_consent', 'sms_consent'];

/** Whether a consent column is mapped (only then "apply consent" means anything). */
export function mapsConsent(columns: readonly ColumnMapping[]): boolean {
  return columns.some((c) => (CONSENT_FIELDS as readonly string[]).includes(c.target.kind));
}

/** Why the mapping cannot be imported yet: no column for the match key, a target used twice. */
export type MappingProblem =
  { kind: 'noMatchColumn'; field: MatchBy } | { kind: 'duplicateTarget'; target: string; headers: string[] };

export function mappingProblems(columns: readonly ColumnMapping[], matchBy: MatchBy): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!columns.some((c) => c.target.kind === matchBy))
    problems.push({ kind: 'noMatchColumn', field: matchBy });
  const byTarget = new Map<string, string[]>();
  for (const column of columns) {
    // Several tag columns add up; every other target takes one column.
    if (column.target.kind === 'skip' || column.target.kind === 'tags') continue;
    const value = targetValue(column.target);
    byTarget.set(value, [...(byTarget.get(value) ?? []), column.header]);
  }
  for (const [target, headers] of byTarget)
    if (headers.length > 1) problems.push({ kind: 'duplicateTarget', target, headers });
  return problems;
}

/**
 * The API's ImportSettings from the wizard: policies only for mapped fields other than the match
 * key and only where they differ from the default (overwrite); consent is applied only when a consent column is mapped.
 */
export function buildImportSettings(state: WizardSettings): ImportSettings {
  const mapped = new Set(policyKeys(state.columns, state.matchBy));
  const policies: Record<string, FieldPolicy> = {};
  for (const [key, policy] of Object.entries(state.policies))
    if (mapped.has(key) && policy !== 'overwrite') policies[key] = policy;
  return {
    columns: state.columns.map((c) => ({ header: c.header, target: c.target })),
    fixedTagIds: [...state.fixedTagIds],
    listIds: [...state.listIds],
    tagSeparator: state.tagSeparator,
    matchBy: state.matchBy,
    mode: state.mode,
    policies,
    blankClears: state.blankClears,
    applyConsent: state.applyConsent && mapsConsent(state.columns),
  };
}
