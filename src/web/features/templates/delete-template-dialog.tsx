import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { TemplateSummary } from '../../../shared/templates.ts';
import { ApiError } from '../../app/api-client.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { substituteUsageOf, useSubstituteInUseText } from '../distribution/substitute-usage.ts';
import { useDeleteTemplate } from './use-delete-template.ts';

const inUseSchema = z.object({ bulkActions: z.array(z.object({ name: z.string() })) });

/**
 * Asks before deleting a template; says which unfinished bulk actions keep it from going, and which
 * accounts' elements it stands in for (then it offers to delete anyway).
 */
export function DeleteTemplateDialog({
  accountId,
  template,
  onClose,
  onDeleted,
}: {
  accountId: string;
  template: Pick<TemplateSummary, 'id' | 'name'> | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteTemplate(accountId);
  const inUseText = useSubstituteInUseText();
  const close = () => {
    remove.reset();
    onClose();
  };
  const inUse =
    remove.error instanceof ApiError && remove.error.code === 'IN_USE'
      ? inUseSchema.safeParse(remove.error.details)
      : null;
  const substituteText = inUseText(template?.name ?? '', remove.error);
  const anyway = substituteUsageOf(remove.error) !== null;
  return (
    <ConfirmDialog
      opened={template !== null}
      title={t('templates.delete.title')}
      text={
        substituteText ??
        (inUse?.success
          ? t('templates.delete.inUse', { names: inUse.data.bulkActions.map((a) => a.name).join(', ') })
          : t('templates.delete.text', { name: template?.name ?? '' }))
      }
      error={inUse?.success || anyway ? null : remove.error}
      pending={remove.isPending}
      confirmLabel={anyway ? t('distribution.inUse.deleteAnyway') : t('templates.delete.confirm')}
      onConfirm={() =>
        template &&
        remove.mutate(
          { id: template.id, confirm: anyway },
          {
            onSuccess: () => {
              close();
              onDeleted?.();
            },
          },
        )
      }
      onClose={close}
      confirmTestId="delete-template-confirm"
      dialogTestId="delete-template-dialog"
    />
  );
}
