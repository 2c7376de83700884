import { Anchor, Center, Group, Loader, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { ElementStatusBar } from '../distribution/element-status-bar.tsx';
import { templateKind } from '../distribution/distribution-api.ts';
import { TemplateForm } from './template-form.tsx';
import { mayEditTemplates } from './template-rights.ts';
import { useTemplate } from './use-template.ts';

/** /accounts/:accountId/templates/new/:channel and /accounts/:accountId/templates/:templateId. */
export function TemplateEditorPage() {
  const account = useCurrentAccount();
  const { templateId, channel } = useParams();
  if (!account) return null; // AccountScope shows why
  if (templateId !== undefined && !/^\d{1,15}$/.test(templateId)) return <NoAccess reason="notFound" />;
  if (templateId === undefined && channel !== 'email' && channel !== 'sms')
    return <NoAccess reason="notFound" />;
  return (
    <TemplateEditor
      key={`${account.id}/${templateId ?? channel}`}
      account={account}
      templateId={templateId ?? null}
      channel={(channel as Channel | undefined) ?? null}
    />
  );
}

function TemplateEditor({
  account,
  templateId,
  channel,
}: {
  account: MyAccount;
  templateId: string | null;
  channel: Channel | null;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Set when this page was reached by saving a new template: it shows as saved.
  const justCreated = (useLocation().state as { created?: boolean } | null)?.created === true;
  const template = useTemplate(account.id, templateId);
  const base = accountPath(account.id, 'templates');
  return (
    <Stack>
      <Group justify="space-between">
        <Anchor component={Link} to={base} size="sm" data-testid="templates-back">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('templates.editor.back')}
          </Group>
        </Anchor>
        {template.data && (
          <ElementStatusBar
            account={account}
            kind={templateKind(template.data.channel)}
            element={template.data}
          />
        )}
      </Group>
      {templateId !== null && template.isError && (
        <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />
      )}
      {templateId !== null && template.isPending && (
        <Center p="xl">
          <Loader aria-label={t('templates.editor.loading')} />
        </Center>
      )}
      {(templateId === null || template.data) && (
        <TemplateForm
          accountId={account.id}
          mayEdit={mayEditTemplates(account.rights)}
          initial={template.data ?? null}
          channel={template.data?.channel ?? channel ?? 'email'}
          justCreated={justCreated}
          onCreated={(id) => void navigate(`${base}/${id}`, { replace: true, state: { created: true } })}
        />
      )}
    </Stack>
  );
}
