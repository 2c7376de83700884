import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Grid,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft, IconChartBar, IconRepeat, IconSend } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { Mailing } from '../../../shared/mailings.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useSenderOptions } from '../messaging/use-sender-options.ts';
import { AudienceCountPanel } from './audience-count.tsx';
import { MailingAudienceFields } from './mailing-audience-fields.tsx';
import { MailingContentFields } from './mailing-content-fields.tsx';
import { MailingControlDialog, type ControlTarget } from './mailing-control-dialog.tsx';
import {
  audienceBodyOf,
  bodyOf,
  formOf,
  goneParts,
  missingParts,
  sameBody,
  type MailingForm,
} from './mailing-form.ts';
import { MailingPreview } from './mailing-preview.tsx';
import { ElementStatusBar } from '../distribution/element-status-bar.tsx';
import { MailingStatusBadge } from './mailing-status-badge.tsx';
import { canResend, controlsFor, isEditable, mayManageMailings, maySendMailings } from './mailing-status.ts';
import { ScheduleDialog } from './schedule-dialog.tsx';
import { useAudienceCount } from './use-audience-count.ts';
import { useMailing } from './use-mailing.ts';
import { useSaveMailing } from './use-save-mailing.ts';

const COUNT_DELAY_MS = 400;

/** Set by the page that navigated here: open the schedule dialog at once (a re-send just created). */
export interface EditorLocationState {
  created?: boolean;
  schedule?: boolean;
}

/** /mailings/new and /mailings/:mailingId: the editor (read-only once the mailing left the draft stage). */
export function MailingEditorPage() {
  const account = useCurrentAccount();
  const { mailingId } = useParams();
  if (!account) return null; // AccountScope shows why
  return (
    <MailingEditor
      key={`${account.id}/${mailingId ?? 'new'}`}
      account={account}
      mailingId={mailingId ?? null}
    />
  );
}

function MailingEditor({ account, mailingId }: { account: MyAccount; mailingId: string | null }) {
  const { t } = useTranslation();
  const mailing = useMailing(account.id, mailingId);
  const base = accountPath(account.id, 'mailings');
  return (
    <Stack>
      <Group justify="space-between">
        <Anchor component={Link} to={base} size="sm" data-testid="mailings-back">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('mailings.editor.back')}
          </Group>
        </Anchor>
        {mailing.data && <ElementStatusBar account={account} kind="mailing" element={mailing.data} />}
      </Group>
      {mailingId !== null && mailing.isError && (
        <ErrorAlert error={mailing.error} onRetry={() => void mailing.refetch()} />
      )}
      {mailingId !== null && mailing.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {(mailingId === null || mailing.data) && <EditorForm account={account} saved={mailing.data ?? null} />}
    </Stack>
  );
}

function EditorForm({ account, saved }: { account: MyAccount; saved: Mailing | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const location = useLocation();
  const state = (location.state as EditorLocationState | null) ?? {};
  const base = accountPath(account.id, 'mailings');
  const mayManage = mayManageMailings(account.rights);
  const maySend = maySendMailings(account.rights);
  const editable = saved === null || isEditable(saved.status);
  const readOnly = !mayManage || !editable;

  const [form, setForm] = useState<MailingForm>(() => formOf(saved));
  // The form as last saved: what "unsaved changes" compares with.
  const [baseline, setBaseline] = useState<MailingForm>(() => formOf(saved));
  const [savedNow, setSavedNow] = useState(state.created === true);
  const [scheduling, setScheduling] = useState<Mailing | null>(state.schedule && saved ? saved : null);
  const [control, setControl] = useState<ControlTarget | null>(null);
  const [contactId, setContactId] = useState<string | null>(null);
  const [senderTouched, setSenderTouched] = useState(saved !== null);
  const save = useSaveMailing(account.id);
  const senders = useSenderOptions(account.id, saved === null && maySend);

  // A new mailing starts with the account's default sender profile.
  const defaultSender = senders.data?.find((s) => s.isDefault)?.id ?? null;
  useEffect(() => {
    if (!senderTouched && defaultSender) {
      setForm((f) => (f.senderProfileId === null ? { ...f, senderProfileId: defaultSender } : f));
      setSenderTouched(true);
    }
  }, [senderTouched, defaultSender]);

  // The hints are read once (above); a reload must not open the schedule dialog again.
  const hinted = state.created === true || state.schedule === true;
  useEffect(() => {
    if (hinted) void navigate(location.pathname, { replace: true, state: null });
  }, [hinted, navigate, location.pathname]);

  const change = (patch: Partial<MailingForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSavedNow(false);
    if (save.error) save.reset();
  };

  const resend = saved?.resendOf ? { resendOf: saved.resendOf, includeFailed: saved.includeFailed } : null;
  const [countForm] = useDebouncedValue(form, COUNT_DELAY_MS);
  const count = useAudienceCount(
    account.id,
    editable ? audienceBodyOf(countForm, resend, goneParts(saved)) : null,
  );

  const dirty = saved === null || !sameBody(form, baseline);
  const saveThen = (then?: (mailing: Mailing) => void) => {
    save.mutate(
      { id: saved?.id ?? null, body: bodyOf(form) },
      {
        onSuccess: (mailing) => {
          setBaseline(formOf(mailing));
          setSavedNow(true);
          if (!saved) {
            void navigate(`${base}/${mailing.id}`, {
              replace: true,
              state: { created: true, schedule: then !== undefined } satisfies EditorLocationState,
            });
          } else {
            then?.(mailing);
          }
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!readOnly) saveThen();
  };
  // Scheduling sends what is saved: unsaved changes are saved first.
  const openSchedule = () => {
    if (!saved || (mayManage && dirty)) saveThen((m) => setScheduling(m));
    else setScheduling(saved);
  };

  const controls = saved ? controlsFor(saved, account.rights) : [];
  const maySchedule =
    maySend && (saved === null || saved.status === 'draft') && (mayManage || saved !== null);
  // Said before the user tries: the server would refuse with MAILING_INCOMPLETE naming the same parts.
  const missing = maySchedule ? missingParts(form) : [];
  const title = saved ? saved.name : t('mailings.editor.newTitle');

  return (
    <>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <form onSubmit={submit} noValidate data-testid="mailing-form" data-status={saved?.status ?? 'new'}>
            <Stack>
              <Group justify="space-between">
                <Group gap="xs">
                  <Title order={2}>{title}</Title>
                  {saved && <MailingStatusBadge mailing={saved} />}
                </Group>
              </Group>
              {saved?.resendOf && (
                <Text size="sm" c="dimmed" data-testid="mailing-resend-note">
                  {t('mailings.editor.resendNote')}
                </Text>
              )}
              {saved && saved.status === 'scheduled' && saved.scheduledFor && (
                <Text size="sm" data-testid="mailing-scheduled-for">
                  {t('mailings.list.scheduled', { date: formatDateTime(saved.scheduledFor) })}
                </Text>
              )}
              {saved && !editable && (
                <Alert color="blue" data-testid="mailing-read-only">
                  <Group justify="space-between">
                    <Text size="sm">{t('mailings.editor.readOnly')}</Text>
                    <Group gap="xs">
                      <Button
                        component={Link}
                        to={`${base}/${saved.id}/statistics`}
                        size="xs"
                        variant="light"
                        leftSection={<IconChartBar size={14} />}
                        data-testid="mailing-statistics-link"
                      >
                        {t('mailings.list.statistics')}
                      </Button>
                      {canResend(saved.status) && mayManage && (
                        <Button
                          component={Link}
                          to={`${base}/${saved.id}/resend`}
                          size="xs"
                          variant="light"
                          leftSection={<IconRepeat size={14} />}
                          data-testid="mailing-resend"
                        >
                          {t('mailings.resend.action')}
                        </Button>
                      )}
                    </Group>
                  </Group>
                </Alert>
              )}
              {saved?.failureReason && (
                <Alert color="red" data-testid="mailing-failure">
                  {t(`mailings.problems.${saved.failureReason}`, { name: saved.failureDetail ?? '' })}
                </Alert>
              )}
              <TextInput
                label={t('mailings.editor.name')}
                value={form.name}
                maxLength={300}
                required
                readOnly={readOnly}
                onChange={(e) => change({ name: e.currentTarget.value })}
                data-testid="mailing-name"
              />
              <Divider label={t('mailings.editor.content')} labelPosition="left" />
              <MailingContentFields
                accountId={account.id}
                form={form}
                change={(patch) => {
                  if ('senderProfileId' in patch) setSenderTouched(true);
                  change(patch);
                }}
                readOnly={readOnly}
                templateName={saved?.templateName ?? null}
                canListSenders={maySend}
              />
              <Divider label={t('mailings.editor.audience')} labelPosition="left" />
              <MailingAudienceFields
                accountId={account.id}
                form={form}
                change={change}
                readOnly={readOnly}
                saved={saved}
              />
              {editable && (
                <AudienceCountPanel
                  count={count.data}
                  loading={count.isFetching}
                  error={count.isError ? count.error : null}
                  resend={resend !== null}
                  noLists={form.listIds.length === 0}
                />
              )}
              {save.isError && <ErrorAlert error={save.error} />}
              {missing.length > 0 && (
                <Text size="sm" c="dimmed" ta="right" data-testid="mailing-missing">
                  {t('mailings.editor.missing', {
                    parts: missing.map((part) => t(`mailings.missingShort.${part}`)).join(', '),
                  })}
                </Text>
              )}
              <Group justify="flex-end" gap="sm">
                {savedNow && !save.isPending && !dirty && (
                  <Text size="sm" c="green" data-testid="mailing-saved">
                    {t('mailings.editor.saved')}
                  </Text>
                )}
                {controls.map((c) => (
                  <Button
                    key={c}
                    variant="light"
                    color={c === 'cancel' ? 'red' : undefined}
                    onClick={() => saved && setControl({ control: c, mailing: saved })}
                    data-testid={`mailing-control-${c}`}
                  >
                    {t(`mailings.controls.${c}.label`)}
                  </Button>
                ))}
                {!readOnly && (
                  <Button
                    type="submit"
                    variant={saved?.status === 'draft' && maySend ? 'default' : 'filled'}
                    loading={save.isPending}
                    disabled={!form.name.trim()}
                    data-testid="mailing-save"
                  >
                    {t('mailings.editor.save')}
                  </Button>
                )}
                {maySchedule && (
                  <Button
                    leftSection={<IconSend size={16} />}
                    onClick={openSchedule}
                    disabled={!form.name.trim() || save.isPending}
                    data-testid="mailing-schedule"
                  >
                    {t('mailings.editor.schedule')}
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <MailingPreview
            accountId={account.id}
            form={form}
            contactId={contactId}
            onContactChange={setContactId}
          />
        </Grid.Col>
      </Grid>
      <ScheduleDialog
        accountId={account.id}
        mailing={scheduling}
        onClose={() => setScheduling(null)}
        onScheduled={() => setScheduling(null)}
      />
      <MailingControlDialog accountId={account.id} target={control} onClose={() => setControl(null)} />
    </>
  );
}
