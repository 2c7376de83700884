import { Alert, Badge, Button, Grid, Group, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../../shared/messaging.ts';
import type { MessageTemplate, TemplatePreviewBody } from '../../../shared/templates.ts';
import { ApiError } from '../../app/api-client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { MergeFieldMenu } from './merge-field-menu.tsx';
import { SmsCounter } from './sms-counter.tsx';
import { insertAt, templateFieldError, unknownFieldsIn, type TemplateFieldError } from './template-errors.ts';
import { TemplatePreviewPane } from './template-preview-pane.tsx';
import { useMergeFields } from './use-merge-fields.ts';
import { useSaveTemplate } from './use-save-template.ts';
import { useTemplatePreview } from './use-template-preview.ts';

type Part = 'subject' | 'html' | 'text';

interface Draft {
  name: string;
  subject: string;
  html: string;
  text: string;
}

const PREVIEW_DELAY_MS = 400;

/** The editor of one template (new: `initial` null), with the live preview beside it. */
export function TemplateForm({
  accountId,
  mayEdit,
  initial,
  channel,
  justCreated = false,
  onCreated,
}: {
  accountId: string;
  mayEdit: boolean;
  initial: MessageTemplate | null;
  channel: Channel;
  /** The template was created a moment ago (the page changed to its address): show it as saved. */
  justCreated?: boolean;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>({
    name: initial?.name ?? '',
    subject: initial?.subject ?? '',
    html: initial?.html ?? '',
    text: initial?.text ?? '',
  });
  const [contactId, setContactId] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(justCreated ? (initial?.updatedAt ?? null) : null);
  const save = useSaveTemplate(accountId);
  const fields = useMergeFields(accountId);
  const inputs = {
    subject: useRef<HTMLInputElement>(null),
    html: useRef<HTMLTextAreaElement>(null),
    text: useRef<HTMLTextAreaElement>(null),
  };
  const lastPart = useRef<Part>(channel === 'email' ? 'html' : 'text');

  const [previewDraft] = useDebouncedValue(draft, PREVIEW_DELAY_MS);
  const previewBody: TemplatePreviewBody | null =
    channel === 'email'
      ? previewDraft.subject && previewDraft.html
        ? {
            channel,
            subject: previewDraft.subject,
            html: previewDraft.html,
            text: previewDraft.text || null,
            contactId: contactId ?? undefined,
          }
        : null
      : previewDraft.text
        ? { channel, text: previewDraft.text, contactId: contactId ?? undefined }
        : null;
  const preview = useTemplatePreview(accountId, previewBody);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSavedAt(null);
    if (save.error) save.reset();
  };

  const insertField = (key: string) => {
    const part = lastPart.current;
    const element = inputs[part].current;
    const token = `{{ ${key} }}`;
    const { text, caret } = insertAt(
      draft[part],
      element?.selectionStart ?? null,
      element?.selectionEnd ?? null,
      token,
    );
    change({ [part]: text });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(caret, caret);
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mayEdit) return;
    const name = draft.name.trim();
    const onSuccess = (saved: MessageTemplate) => {
      setSavedAt(saved.updatedAt);
      if (!initial) onCreated(saved.id);
    };
    if (initial) {
      save.mutate(
        {
          id: initial.id,
          body:
            channel === 'email'
              ? { name, subject: draft.subject, html: draft.html, text: draft.text || null }
              : { name, text: draft.text },
        },
        { onSuccess },
      );
    } else {
      save.mutate(
        {
          id: null,
          body:
            channel === 'email'
              ? { channel, name, subject: draft.subject, html: draft.html, text: draft.text || null }
              : { channel, name, text: draft.text },
        },
        { onSuccess },
      );
    }
  };

  // A problem from saving wins; else the live preview's, which follows the content as typed.
  const problem: TemplateFieldError | null =
    templateFieldError(save.error) ?? templateFieldError(preview.error);
  const errorOf = (part: Part): string | null => {
    if (!problem) return null;
    if (problem.kind === 'syntax') {
      if (problem.part !== part) return null;
      return problem.line === null
        ? t('templates.errors.syntaxNoLine', { message: problem.message })
        : t('templates.errors.syntax', { line: problem.line, message: problem.message });
    }
    const here = unknownFieldsIn(draft[part], problem.fields);
    return here.length > 0 ? t('templates.errors.unknownFields', { fields: here.join(', ') }) : null;
  };
  const placedNowhere =
    problem?.kind === 'unknownFields' &&
    (['subject', 'html', 'text'] as const).every(
      (part) => unknownFieldsIn(draft[part], problem.fields).length === 0,
    );
  const nameTaken = save.error instanceof ApiError && save.error.code === 'CONFLICT';
  const otherSaveError = save.error && !templateFieldError(save.error) && !nameTaken ? save.error : null;
  const title = initial
    ? initial.name
    : channel === 'email'
      ? t('templates.editor.newEmailTitle')
      : t('templates.editor.newSmsTitle');

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <form onSubmit={submit} noValidate data-testid="template-form" data-channel={channel}>
          <Stack>
            <Group justify="space-between">
              <Group gap="xs">
                <Title order={2}>{title}</Title>
                <Badge variant="light" tt="none">
                  {t(`templates.channel.${channel}`)}
                </Badge>
              </Group>
              {fields.data && (
                <MergeFieldMenu fields={fields.data} channel={channel} onInsert={insertField} />
              )}
            </Group>
            <TextInput
              label={t('templates.editor.name')}
              value={draft.name}
              maxLength={200}
              required
              readOnly={!mayEdit}
              onChange={(e) => change({ name: e.currentTarget.value })}
              error={nameTaken ? t('templates.errors.nameTaken') : null}
              data-testid="template-name"
            />
            {channel === 'email' && (
              <>
                <TextInput
                  ref={inputs.subject}
                  label={t('templates.editor.subject')}
                  value={draft.subject}
                  maxLength={998}
                  required
                  readOnly={!mayEdit}
                  onFocus={() => (lastPart.current = 'subject')}
                  onChange={(e) => change({ subject: e.currentTarget.value })}
                  error={errorOf('subject')}
                  data-testid="template-subject"
                />
                <Textarea
                  ref={inputs.html}
                  label={t('templates.editor.html')}
                  description={t('templates.editor.htmlHint')}
                  value={draft.html}
                  required
                  readOnly={!mayEdit}
                  autosize
                  minRows={12}
                  maxRows={30}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  onFocus={() => (lastPart.current = 'html')}
                  onChange={(e) => change({ html: e.currentTarget.value })}
                  error={errorOf('html')}
                  data-testid="template-html"
                />
              </>
            )}
            <Textarea
              ref={inputs.text}
              label={channel === 'email' ? t('templates.editor.textPart') : t('templates.editor.smsText')}
              description={channel === 'email' ? t('templates.editor.textPartHint') : undefined}
              value={draft.text}
              required={channel === 'sms'}
              readOnly={!mayEdit}
              autosize
              minRows={channel === 'email' ? 4 : 5}
              maxRows={20}
              maxLength={channel === 'sms' ? 1600 : undefined}
              onFocus={() => (lastPart.current = 'text')}
              onChange={(e) => change({ text: e.currentTarget.value })}
              error={errorOf('text')}
              data-testid="template-text"
            />
            {channel === 'sms' && (
              <Stack gap={2}>
                <SmsCounter text={draft.text} />
                <Text size="xs" c="dimmed">
                  {t('templates.sms.merged')}
                </Text>
              </Stack>
            )}
            {placedNowhere && problem.kind === 'unknownFields' && (
              <Alert color="red" icon={<IconAlertCircle />} data-testid="template-unknown-fields">
                {t('templates.errors.unknownFields', { fields: problem.fields.join(', ') })}
              </Alert>
            )}
            {otherSaveError && <ErrorAlert error={otherSaveError} />}
            {mayEdit && (
              <Group justify="flex-end" gap="sm">
                {savedAt && !save.isPending && (
                  <Text size="sm" c="green" data-testid="template-saved">
                    {t('templates.editor.saved')}
                  </Text>
                )}
                <Button
                  type="submit"
                  loading={save.isPending}
                  disabled={!draft.name.trim()}
                  data-testid="template-save"
                >
                  {t('templates.editor.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <TemplatePreviewPane
          accountId={accountId}
          channel={channel}
          contactId={contactId}
          onContactChange={setContactId}
          preview={preview.data ?? null}
          failed={preview.isError}
          error={preview.isError && !problem ? preview.error : null}
          loading={preview.isFetching}
        />
      </Grid.Col>
    </Grid>
  );
}
