import { Route, Routes, useParams } from 'react-router';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { NoAccess } from '../../components/no-access.tsx';
import { MailingStatisticsPage } from '../mailing-stats/mailing-statistics-page.tsx';
import { MailingEditorPage } from './mailing-editor-page.tsx';
import { MailingListPage } from './mailing-list-page.tsx';
import { ResendPage } from './resend-page.tsx';

const ID = /^\d{1,15}$/;

/**
 * /accounts/:accountId/mailings/*: the list, the editor (new or saved), a mailing's statistics and
 * its corrected re-send. An id that cannot be one is "not found" without asking the server.
 */
export function MailingsPage() {
  return (
    <Routes>
      <Route index element={<MailingListPage />} />
      <Route path="new" element={<MailingEditorPage />} />
      <Route path=":mailingId" element={<WithMailingId page="editor" />} />
      <Route path=":mailingId/statistics" element={<WithMailingId page="statistics" />} />
      <Route path=":mailingId/resend" element={<WithMailingId page="resend" />} />
      <Route path="*" element={<NoAccess reason="notFound" />} />
    </Routes>
  );
}

function WithMailingId({ page }: { page: 'editor' | 'statistics' | 'resend' }) {
  const account = useCurrentAccount();
  const { mailingId } = useParams();
  if (!account) return null; // AccountScope shows why
  if (!mailingId || !ID.test(mailingId)) return <NoAccess reason="notFound" />;
  switch (page) {
    case 'editor':
      return <MailingEditorPage />;
    case 'statistics':
      return <MailingStatisticsPage key={mailingId} accountId={account.id} mailingId={mailingId} />;
    case 'resend':
      return <ResendPage />;
  }
}
