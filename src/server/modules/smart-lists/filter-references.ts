// Which SmartLists use a tag, subscriber list or custom field, and how their filters lose the
// conditions that used one when it is deleted (issue 9 §6).
import { sql, type SQL } from 'drizzle-orm';
import { isGroup, type Condition, type FilterGroup } from '../../../shared/contacts.ts';

/** A catalogue entry a filter can refer to. */
export type FilterReference =
  { kind: 'tag'; id: string } | { kind: 'list'; id: string } | { kind: 'custom_field'; key: string };

function uses(c: Condition, ref: FilterReference): boolean {
  switch (ref.kind) {
    case 'tag':
      return c.type === 'tag' && c.tagId === ref.id;
    case 'list':
      return c.type === 'list' && c.listId === ref.id;
    case 'custom_field':
      return c.type === 'field' && c.field === `custom.${ref.key}`;
  }
}

/**
 * The filter without the conditions that use `ref`, and how many were removed. A nested group left
 * empty is removed too (an empty group means "everything", which inside an OR would widen the
 * SmartList to all contacts); an empty top level stays: a SmartList without conditions.
 */
export function withoutReference(
  filter: FilterGroup,
  ref: FilterReference,
): { filter: FilterGroup; removed: number } {
  let removed = 0;
  const prune = (group: FilterGroup): FilterGroup => ({
    op: group.op,
    conditions: group.conditions.flatMap((c): (Condition | FilterGroup)[] => {
      if (isGroup(c)) {
        const inner = prune(c);
        return inner.conditions.length === 0 && c.conditions.length > 0 ? [] : [inner];
      }
      if (uses(c, ref)) {
        removed++;
        return [];
      }
      return [c];
    }),
  });
  const pruned = prune(filter);
  return { filter: pruned, removed };
}

/**
 * A predicate over `smart_lists s` that is true when its filter uses `ref` anywhere in the tree
 * (a JSON path search, so finding the users is one statement whatever the number of SmartLists).
 */
export function filterUses(ref: FilterReference): SQL {
  switch (ref.kind) {
    case 'tag':
      return sql`jsonb_path_exists(s.filter, 'lax $.** ? (@.type == "tag" && @.tagId == $id)', jsonb_build_object('id', ${ref.id}::text))`;
    case 'list':
      return sql`jsonb_path_exists(s.filter, 'lax $.** ? (@.type == "list" && @.listId == $id)', jsonb_build_object('id', ${ref.id}::text))`;
    case 'custom_field':
      return sql`jsonb_path_exists(s.filter, 'lax $.** ? (@.type == "field" && @.field == $f)', jsonb_build_object('f', ${`custom.${ref.key}`}::text))`;
  }
}
