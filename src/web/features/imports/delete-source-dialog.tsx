import { useTranslation } from 'react-i18next';
import type { ImportSource } from '../../../shared/import-sources.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useDeleteImportSource } from './use-delete-import-source.ts';

/** Deletes a source after asking; imports it already made stay. */
export function DeleteSourceDialog({
  accountId,
  source,
  onClose,
}: {
  accountId: string;
  source: ImportSource;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteImportSource(accountId);
  return (
    <ConfirmDialog
      opened
      title={t('imports.sources.deleteTitle')}
      text={t('imports.sources.deleteText', { name: source.name })}
      error={remove.error}
      pending={remove.isPending}
      confirmLabel={t('common.delete')}
      onConfirm={() => remove.mutate(source.id, { onSuccess: onClose })}
      onClose={onClose}
      confirmTestId="source-delete-confirm"
    />
  );
}
