import { Alert, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import type { SendForm, SendFormProblem } from './send-form.ts';
import { SmsCounter } from './sms-counter.tsx';
import { useSenderOptions } from './use-sender-options.ts';
import { useTemplateOptions } from './use-template-options.ts';

// Shown as it is typed into a template (a value: i18next would read the braces in the text itself).
const MERGE_EXAMPLE = '{{ first_name | default: "Kundin, Kunde" }}';

interface FieldsProps {
  accountId: string;
  form: SendForm;
  change: (change: Partial<SendForm>) => void;
  /** Problems to show (after the first try to go on). */
  problems: readonly SendFormProblem[];
}

/** What is sent: a template of the channel, or inline content; for email also the sender profile. */
export function MessageContentFields({ accountId, form, change, problems }: FieldsProps) {
  const { t } = useTranslation();
  // The picker searches on the server (an account may have many templates); the chosen one stays
  // listed whatever the search finds.
  const [templateSearch, setTemplateSearch] = useState('');
  const [searched] = useDebouncedValue(templateSearch, 250);
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const templates = useTemplateOptions(
    accountId,
    form.channel,
    chosen && searched === chosen.label ? '' : searched,
    form.source === 'template',
  );
  const senders = useSenderOptions(accountId, form.channel === 'email');
  const error = (problem: SendFormProblem) =>
    problems.includes(problem) ? t(`messaging.send.problems.${problem}`) : null;

  const templateOptions = (templates.data ?? []).map((template) => ({
    value: template.id,
    label: template.name,
  }));
  const defaultSender = senders.data?.find((sender) => sender.isDefault);
  const senderOptions = (senders.data ?? []).map((sender) => ({
    value: sender.id,
    label: sender.fromAddress ? `${sender.name} <${sender.fromAddress}>` : sender.name,
  }));

  return (
    <Stack gap="sm">
      <SegmentedControl
        value={form.source}
        onChange={(value) => change({ source: value === 'inline' ? 'inline' : 'template' })}
        data={[
          { value: 'template', label: t('messaging.send.fromTemplate') },
          { value: 'inline', label: t('messaging.send.inline') },
        ]}
        w="fit-content"
        data-testid="send-source"
      />
      {form.source === 'template' && (
        <>
          <Select
            label={t('messaging.send.template')}
            placeholder={t('messaging.send.templatePlaceholder')}
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
            nothingFoundMessage={t('messaging.send.noTemplateFound')}
            error={error('templateId')}
            withAsterisk
            data-testid="send-template"
          />
          {templates.data?.length === 0 && !searched && (
            <Alert color="gray" data-testid="send-no-templates">
              {t('messaging.send.noTemplates')}
            </Alert>
          )}
          {templates.isError && (
            <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />
          )}
        </>
      )}
      {form.source === 'inline' && form.channel === 'email' && (
        <>
          <TextInput
            label={t('messaging.send.subject')}
            value={form.subject}
            maxLength={998}
            onChange={(e) => change({ subject: e.currentTarget.value })}
            error={error('subject')}
            withAsterisk
            data-testid="send-subject"
          />
          <Textarea
            label={t('messaging.send.html')}
            description={t('messaging.send.mergeHint', { example: MERGE_EXAMPLE })}
            value={form.html}
            onChange={(e) => change({ html: e.currentTarget.value })}
            error={error('html')}
            autosize
            minRows={5}
            maxRows={14}
            withAsterisk
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="send-html"
          />
          <Textarea
            label={t('messaging.send.text')}
            description={t('messaging.send.textHint')}
            value={form.text}
            onChange={(e) => change({ text: e.currentTarget.value })}
            autosize
            minRows={2}
            maxRows={8}
            data-testid="send-text"
          />
        </>
      )}
      {form.source === 'inline' && form.channel === 'sms' && (
        <Stack gap={4}>
          <Textarea
            label={t('messaging.send.smsText')}
            description={t('messaging.send.mergeHint', { example: MERGE_EXAMPLE })}
            value={form.smsText}
            onChange={(e) => change({ smsText: e.currentTarget.value })}
            error={error('smsText')}
            autosize
            minRows={3}
            maxRows={8}
            maxLength={1_600}
            withAsterisk
            data-testid="send-sms-text"
          />
          <SmsCounter text={form.smsText} />
        </Stack>
      )}
      {form.channel === 'email' && (
        <Select
          label={t('messaging.send.sender')}
          placeholder={
            defaultSender
              ? t('messaging.send.senderDefaultNamed', { name: defaultSender.name })
              : t('messaging.send.senderDefault')
          }
          description={t('messaging.send.senderHint')}
          data={senderOptions}
          value={form.senderProfileId}
          onChange={(senderProfileId) => change({ senderProfileId })}
          clearable
          data-testid="send-sender"
        />
      )}
      {senders.isError && form.channel === 'email' && (
        <Text size="xs" c="dimmed">
          {t('messaging.send.sendersUnavailable')}
        </Text>
      )}
    </Stack>
  );
}
