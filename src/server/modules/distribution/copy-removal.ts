// The guards of a normal delete, for a rollback that removes a copy the last distribution created:
// the copy is the target account's element like any other, so what protects a delete there
// protects this removal too.
import type { Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { actionsUsingTemplate } from '../templates/templates.repo.ts';
import { releaseSubstitutes } from '../substitutes/substitute-usage.ts';
import { mailingsUsingTemplate } from './copies.repo.ts';
import { isTemplateKind } from '../substitutes/element-kinds.ts';

/**
 * Inside the target's tenant transaction, before copy `copyId` is removed: a template copy that an
 * unfinished bulk action uses → 409 IN_USE (details.bulkActions, counts), as the template delete;
 * one the target's own mailings use → 409 CONFLICT `copy_in_use` (details.mailings), since they
 * would point at nothing; serving as a substitute and not `confirm` → 409 SUBSTITUTE_IN_USE
 * (details.usage), else its substitute rows go. Nothing is removed when it throws.
 */
export async function guardRemoval(
  q: Queryable,
  target: AccountId,
  kind: DistributableKind,
  copyId: string,
  confirm: boolean,
): Promise<void> {
  if (isTemplateKind(kind)) {
    const actions = await actionsUsingTemplate(q, target, Number(copyId));
    if (actions.length > 0) {
      throw new AppError('IN_USE', `Used by ${actions.length} unfinished bulk action(s)`, {
        bulkActions: actions.map((a) => ({ id: String(a.id), name: a.name, status: a.status })),
        counts: { bulkActions: actions.length },
      });
    }
    const mailings = await mailingsUsingTemplate(q, Number(target), copyId);
    if (mailings.length > 0) {
      throw new AppError('CONFLICT', 'Mailings of the target account use this template copy', {
        reason: 'copy_in_use',
        mailings,
      });
    }
  }
  await releaseSubstitutes(q, target, kind, Number(copyId), confirm);
}
