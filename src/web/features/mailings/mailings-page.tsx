import { Navigate, Outlet, Route, Routes, useParams } from 'react-router';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { NoAccess } from '../../components/no-access.tsx';
import { MailingStatisticsPage } from '../mailing-stats/mailing-statistics-page.tsx';
import { MailingEditorPage } from './mailing-editor-page.tsx';
import { MailingListPage } from './mailing-list-page.tsx';
import { ResendPage } from './resend-page.tsx';

const ID = /^\d{1,15}$/;

/**
 * /accounts/:accountId/mailings/*: the list, the editor (new or saved), a mailing's statistics and
 * its corrected re-send. The pages of one mailing are children of `:mailingId`, so `..` from the
 * statistics (route- or path-relative) is the mailing and `../resend` its re-send.
 */
export function MailingsPage() {
  return (
    <Routes>
      <Route index element={<MailingListPage />} />
      <Route path="new" element={<MailingEditorPage />} />
      {/* A notification about a template (subject `template`) links to …/mailings/templates/:id. */}
      <Route path="templates/:templateId" element={<TemplateRedirect />} />
      <Route path=":mailingId" element={<ValidMailingId />}>
        <Route index element={<MailingEditorPage />} />
        <Route path="statistics" element={<Statistics />} />
        <Route path="resend" element={<ResendPage />} />
      </Route>
      <Route path="*" element={<NoAccess reason="notFound" />} />
    </Routes>
  );
}

/** An id that cannot be one is "not found" without asking the server. */
function ValidMailingId() {
  const { mailingId } = useParams();
  if (!mailingId || !ID.test(mailingId)) return <NoAccess reason="notFound" />;
  return <Outlet />;
}

/** …/mailings/templates/:templateId → the template's editor (…/templates/:templateId). */
function TemplateRedirect() {
  const account = useCurrentAccount();
  const { templateId } = useParams();
  if (!account || !templateId || !ID.test(templateId)) return <NoAccess reason="notFound" />;
  return <Navigate to={`${accountPath(account.id, 'templates')}/${templateId}`} replace />;
}

function Statistics() {
  const account = useCurrentAccount();
  const { mailingId } = useParams();
  if (!account || !mailingId) return null; // AccountScope shows why
  return <MailingStatisticsPage key={mailingId} accountId={account.id} mailingId={mailingId} />;
}
