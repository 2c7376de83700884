import { ApiError } from '../../../app/api-client.ts';
import { fieldIssues } from '../../../components/invalid-fields.ts';

/** Why the server refused a condition, by the last part of the path it named. */
export type ServerFilterReason =
  'tagGone' | 'listGone' | 'fieldUnknown' | 'opInvalid' | 'valueInvalid' | 'invalid';

export interface ServerFilterIssues {
  /** Refusals pinned on the builder's nodes. */
  byNode: Map<string, ServerFilterReason>;
  /** True when the error is about the filter at all (then it is shown by the builder). */
  aboutFilter: boolean;
}

const REASON_OF_LEAF: Record<string, ServerFilterReason> = {
  tagId: 'tagGone',
  listId: 'listGone',
  field: 'fieldUnknown',
  op: 'opInvalid',
  value: 'valueInvalid',
  from: 'valueInvalid',
  to: 'valueInvalid',
  channel: 'valueInvalid',
  status: 'valueInvalid',
};

/**
 * Places a 400's field paths on the builder's nodes. The server names them as `filter.conditions.0.value`
 * (the filter compiler), `query.filter.…` (the list call's query) or `body.filter.…`/`body.selection.filter.…`
 * (request bodies): everything from the `filter` segment on is the path in the filter tree.
 */
export function serverFilterIssues(error: unknown, paths: ReadonlyMap<string, string>): ServerFilterIssues {
  const byNode = new Map<string, ServerFilterReason>();
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED')
    return { byNode, aboutFilter: false };
  let aboutFilter = false;
  for (const issue of fieldIssues(error)) {
    const segments = issue.field.split('.');
    const start = segments.indexOf('filter');
    if (start < 0) continue;
    aboutFilter = true;
    const rest = segments.slice(start);
    // The longest prefix that is a node; what is left names the part of it that is wrong.
    for (let end = rest.length; end > 0; end--) {
      const nodeId = paths.get(rest.slice(0, end).join('.'));
      if (nodeId === undefined) continue;
      const leaf = rest[end];
      if (!byNode.has(nodeId)) byNode.set(nodeId, (leaf && REASON_OF_LEAF[leaf]) || 'invalid');
      break;
    }
  }
  return { byNode, aboutFilter };
}
