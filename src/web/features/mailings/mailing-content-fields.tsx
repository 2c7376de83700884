import { Group, SegmentedControl, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSenderOptions } from '../messaging/use-sender-options.ts';
import { useTemplateOptions } from '../messaging/use-template-options.ts';
import { insertAt } from '../templates/template-errors.ts';
import { MergeFieldMenu } from '../templates/merge-field-menu.tsx';
import { useMergeFields } from '../templates/use-merge-fields.ts';
import type { MailingForm } from './mailing-form.ts';

type Part = 'subject' | 'html' | 'text';

/**
 * The mailing's content (an email template, searched on the server, or its own subject, HTML and
 * text with the merge-field menu) and its sender profile.
 */
export function MailingContentFields({
  accountId,
  form,
  change,
  readOnly,
  templateName,
  canListSenders,
}: {
  accountId: string;
  form: MailingForm;
  change: (patch: Partial<MailingForm>) => void;
  readOnly: boolean;
  /** The user may read sender profiles (`messaging.send`); else the picker stays empty. */
  canListSenders: boolean;
  /** The saved template's name, so the picker shows it before any search. */
  templateName: string | null;
}) {
  const { t } = useTranslation();
  const [templateSearch, setTemplateSearch] = useState('');
  const [searched] = useDebouncedValue(templateSearch, 250);
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(
    form.templateId && templateName ? { value: form.templateId, label: templateName } : null,
  );
  const templates = useTemplateOptions(
    accountId,
    'email',
    chosen && searched === chosen.label ? '' : searched,
    form.source === 'template' && !readOnly,
  );
  const senders = useSenderOptions(accountId, canListSenders);
  const fields = useMergeFields(accountId);
  const inputs = {
    subject: useRef<HTMLInputElement>(null),
    html: useRef<HTMLTextAreaElement>(null),
    text: useRef<HTMLTextAreaElement>(null),
  };
  const lastPart = useRef<Part>('html');

  const found = (templates.data ?? []).map((template) => ({ value: template.id, label: template.name }));
  const templateOptions = chosen && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found;
  const senderOptions = (senders.data ?? []).map((sender) => ({
    value: sender.id,
    label: sender.fromAddress ? `${sender.name} <${sender.fromAddress}>` : sender.name,
  }));

  const insertField = (key: string) => {
    const part = lastPart.current;
    const element = inputs[part].current;
    const { text, caret } = insertAt(
      form[part],
      element?.selectionStart ?? null,
      element?.selectionEnd ?? null,
      `{{ ${key} }}`,
    );
    change({ [part]: text });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(caret, caret);
    });
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          value={form.source}
          onChange={(value) => change({ source: value === 'own' ? 'own' : 'template' })}
          data={[
            { value: 'template', label: t('mailings.editor.fromTemplate') },
            { value: 'own', label: t('mailings.editor.ownContent') },
          ]}
          disabled={readOnly}
          data-testid="mailing-source"
        />
        {form.source === 'own' && !readOnly && fields.data && (
          <MergeFieldMenu fields={fields.data} channel="email" onInsert={insertField} />
        )}
      </Group>
      {form.source === 'template' ? (
        <Select
          label={t('mailings.editor.template')}
          placeholder={t('mailings.editor.templatePlaceholder')}
          data={templateOptions}
          value={form.templateId}
          onChange={(templateId, option) => {
            setChosen(templateId && option ? { value: templateId, label: option.label } : null);
            change({ templateId });
          }}
          searchable
          searchValue={templateSearch}
          onSearchChange={setTemplateSearch}
          // The server has filtered already (by name, ignoring case).
          filter={({ options }) => options}
          nothingFoundMessage={t('mailings.editor.noTemplateFound')}
          readOnly={readOnly}
          clearable={!readOnly}
          data-testid="mailing-template"
        />
      ) : (
        <>
          <TextInput
            ref={inputs.subject}
            label={t('mailings.editor.subject')}
            value={form.subject}
            maxLength={998}
            readOnly={readOnly}
            onFocus={() => (lastPart.current = 'subject')}
            onChange={(e) => change({ subject: e.currentTarget.value })}
            data-testid="mailing-subject"
          />
          <Textarea
            ref={inputs.html}
            label={t('mailings.editor.html')}
            value={form.html}
            readOnly={readOnly}
            autosize
            minRows={8}
            maxRows={24}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            onFocus={() => (lastPart.current = 'html')}
            onChange={(e) => change({ html: e.currentTarget.value })}
            data-testid="mailing-html"
          />
          <Textarea
            ref={inputs.text}
            label={t('mailings.editor.text')}
            description={t('mailings.editor.textHint')}
            value={form.text}
            readOnly={readOnly}
            autosize
            minRows={3}
            maxRows={12}
            onFocus={() => (lastPart.current = 'text')}
            onChange={(e) => change({ text: e.currentTarget.value })}
            data-testid="mailing-text"
          />
        </>
      )}
      <Select
        label={t('mailings.editor.sender')}
        placeholder={t('mailings.editor.senderPlaceholder')}
        data={senderOptions}
        value={form.senderProfileId}
        onChange={(senderProfileId) => change({ senderProfileId })}
        readOnly={readOnly}
        data-testid="mailing-sender"
      />
    </Stack>
  );
}
