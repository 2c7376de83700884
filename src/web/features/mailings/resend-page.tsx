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
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { Mailing } from '../../../shared/mailings.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { AudienceCountPanel } from './audience-count.tsx';
import type { EditorLocationState } from './mailing-editor-page.tsx';
import { MailingAudienceFields } from './mailing-audience-fields.tsx';
import { MailingContentFields } from './mailing-content-fields.tsx';
import { audienceBodyOf, formOf, resendBodyOf, type MailingForm } from './mailing-form.ts';
import { MailingPreview } from './mailing-preview.tsx';
import { MailingStatusBadge } from './mailing-status-badge.tsx';
import { canResend, mayManageMailings, maySendMailings } from './mailing-status.ts';
import { useAudienceCount } from './use-audience-count.ts';
import { useMailing } from './use-mailing.ts';
import { useResendMailing } from './use-resend-mailing.ts';

const COUNT_DELAY_MS = 400;

/**
 * /mailings/:mailingId/resend: the corrected re-send of a sent or failed mailing. The source's
 * content and audience come prefilled; the count is of those the family has not reached yet.
 * Creating it opens the new draft's editor with its schedule dialog.
 */
export function ResendPage() {
  const account = useCurrentAccount();
  const { mailingId } = useParams();
  if (!account || !mailingId) return null; // AccountScope shows why
  if (!mayManageMailings(account.rights)) return <NoAccess reason="section" />;
  return <ResendLoader key={`${account.id}/${mailingId}`} account={account} mailingId={mailingId} />;
}

function ResendLoader({ account, mailingId }: { account: MyAccount; mailingId: string }) {
  const { t } = useTranslation();
  const source = useMailing(account.id, mailingId);
  const base = accountPath(account.id, 'mailings');
  return (
    <Stack>
      <Group>
        <Anchor component={Link} to={`${base}/${mailingId}/statistics`} size="sm" data-testid="resend-back">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('mailings.resend.back')}
          </Group>
        </Anchor>
      </Group>
      {source.isError && <ErrorAlert error={source.error} onRetry={() => void source.refetch()} />}
      {source.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {source.data && !canResend(source.data.status) && (
        <Alert color="orange" data-testid="resend-not-possible">
          {t('mailings.resend.notPossible')}
        </Alert>
      )}
      {source.data && canResend(source.data.status) && <ResendForm account={account} source={source.data} />}
    </Stack>
  );
}

function ResendForm({ account, source }: { account: MyAccount; source: Mailing }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState<MailingForm>(() => ({
    ...formOf(source),
    name: t('mailings.resend.defaultName', { name: source.name }).slice(0, 300),
    // Deleted parts cannot be sent to: the correction starts without them.
    listIds: source.lists.filter((l) => !l.missing).map((l) => l.id),
    targetGroupIds: source.targetGroups.filter((g) => !g.missing).map((g) => g.id),
  }));
  const [includeFailed, setIncludeFailed] = useState(false);
  const [contactId, setContactId] = useState<string | null>(null);
  const create = useResendMailing(account.id, source.id);
  const change = (patch: Partial<MailingForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (create.error) create.reset();
  };
  const [countForm] = useDebouncedValue(form, COUNT_DELAY_MS);
  const count = useAudienceCount(
    account.id,
    audienceBodyOf(countForm, { resendOf: source.id, includeFailed }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(resendBodyOf(form, includeFailed), {
      onSuccess: (created) =>
        void navigate(`${accountPath(account.id, 'mailings')}/${created.id}`, {
          state: { created: true, schedule: true } satisfies EditorLocationState,
        }),
    });
  };

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <form onSubmit={submit} noValidate data-testid="resend-form">
          <Stack>
            <Group gap="xs">
              <Title order={2}>{t('mailings.resend.title')}</Title>
            </Group>
            <Group gap="xs">
              <Text size="sm">{t('mailings.resend.of', { name: source.name })}</Text>
              <MailingStatusBadge mailing={source} />
            </Group>
            <Alert color="blue" icon={<IconInfoCircle />} data-testid="resend-explained">
              {t('mailings.resend.explained')}
            </Alert>
            <TextInput
              label={t('mailings.editor.name')}
              value={form.name}
              maxLength={300}
              required
              onChange={(e) => change({ name: e.currentTarget.value })}
              data-testid="mailing-name"
            />
            <Divider label={t('mailings.editor.content')} labelPosition="left" />
            <MailingContentFields
              accountId={account.id}
              form={form}
              change={change}
              readOnly={false}
              templateName={source.templateName}
              canListSenders={maySendMailings(account.rights)}
            />
            <Divider label={t('mailings.editor.audience')} labelPosition="left" />
            <MailingAudienceFields
              accountId={account.id}
              form={form}
              change={change}
              readOnly={false}
              saved={source}
            />
            <Switch
              label={t('mailings.resend.includeFailed')}
              description={t('mailings.resend.includeFailedHint')}
              checked={includeFailed}
              onChange={(e) => setIncludeFailed(e.currentTarget.checked)}
              data-testid="resend-include-failed"
            />
            <AudienceCountPanel
              count={count.data}
              loading={count.isFetching}
              error={count.isError ? count.error : null}
              resend
              noLists={form.listIds.length === 0}
            />
            {create.isError && <ErrorAlert error={create.error} />}
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!form.name.trim()}
                data-testid="resend-create"
              >
                {t('mailings.resend.create')}
              </Button>
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
  );
}
