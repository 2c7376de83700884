import { useDebouncedValue } from '@mantine/hooks';
import { TemplatePreviewPane } from '../templates/template-preview-pane.tsx';
import { useTemplatePreview } from '../templates/use-template-preview.ts';
import { previewBodyOf, type MailingForm } from './mailing-form.ts';

const PREVIEW_DELAY_MS = 400;

/** The content as a recipient would get it, for a chosen contact (the templates' preview). */
export function MailingPreview({
  accountId,
  form,
  contactId,
  onContactChange,
}: {
  accountId: string;
  form: MailingForm;
  contactId: string | null;
  onContactChange: (id: string | null) => void;
}) {
  // The form is state (a stable object between edits): debounce it, not a body made each render.
  const [debounced] = useDebouncedValue(form, PREVIEW_DELAY_MS);
  const preview = useTemplatePreview(accountId, previewBodyOf(debounced, contactId));
  return (
    <TemplatePreviewPane
      accountId={accountId}
      channel="email"
      contactId={contactId}
      onContactChange={onContactChange}
      preview={preview.data ?? null}
      failed={preview.isError}
      error={preview.isError ? preview.error : null}
      loading={preview.isFetching}
    />
  );
}
