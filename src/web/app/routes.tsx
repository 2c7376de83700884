import type { RouteObject } from 'react-router';
import { NoAccess } from '../components/no-access.tsx';
import { AccountSettingsPage } from '../features/account-settings/account-settings-page.tsx';
import { BulkActionsPage } from '../features/bulk-actions/bulk-actions-page.tsx';
import { BulkStatsPage } from '../features/bulk-actions/bulk-stats-page.tsx';
import { ContactsPage } from '../features/contacts/contacts-page.tsx';
import { DistributionPage } from '../features/distribution/distribution-page.tsx';
import { DistributionsPage } from '../features/distribution/distributions-page.tsx';
import { ElementDistributionPage } from '../features/distribution/element-distribution-page.tsx';
import { SubstitutesPage } from '../features/substitutes/substitutes-page.tsx';
import { ImportsPage } from '../features/imports/imports-page.tsx';
import { AcceptInvitationPage } from '../features/invitations/accept-invitation-page.tsx';
import { MyInvitationsPage } from '../features/invitations/my-invitations-page.tsx';
import { LoginPage } from '../features/login/login-page.tsx';
import { MailingsPage } from '../features/mailings/mailings-page.tsx';
import { NotificationsPage } from '../features/notifications/notifications-page.tsx';
import { OutboxPage } from '../features/outbox/outbox-page.tsx';
import { TemplateEditorPage } from '../features/templates/template-editor-page.tsx';
import { TemplatesPage } from '../features/templates/templates-page.tsx';
import { MySettingsPage } from '../features/settings/my-settings-page.tsx';
import { AccountHome, AccountScope, RequireSection } from './account-scope.tsx';
import { RequireAuth } from './auth/require-auth.tsx';
import { HomeRedirect } from './home-redirect.tsx';
import { AppLayout } from './shell/app-layout.tsx';

/** Every page of the UI. Account pages carry the account in the path, so links and reloads keep it. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  // The invitation email's link: public, a new user has no login yet.
  { path: '/invitation', element: <AcceptInvitationPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'me/settings', element: <MySettingsPage /> },
          { path: 'me/outbox', element: <OutboxPage /> },
          { path: 'me/invitations', element: <MyInvitationsPage /> },
          {
            path: 'accounts/:accountId',
            element: <AccountScope />,
            children: [
              { index: true, element: <AccountHome /> },
              {
                path: 'contacts',
                element: (
                  <RequireSection section="contacts">
                    <ContactsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'bulk-actions',
                element: (
                  <RequireSection section="bulk-actions">
                    <BulkActionsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'bulk-actions/:actionId',
                element: (
                  <RequireSection section="bulk-actions">
                    <BulkStatsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'templates',
                element: (
                  <RequireSection section="templates">
                    <TemplatesPage />
                  </RequireSection>
                ),
              },
              {
                path: 'templates/new/:channel',
                element: (
                  <RequireSection section="templates">
                    <TemplateEditorPage />
                  </RequireSection>
                ),
              },
              {
                path: 'templates/:templateId',
                element: (
                  <RequireSection section="templates">
                    <TemplateEditorPage />
                  </RequireSection>
                ),
              },
              // '/*': links into these modules (from notifications: an import, a mailing's statistics)
              // land on the module's page until its own pages exist.
              {
                path: 'imports/*',
                element: (
                  <RequireSection section="imports">
                    <ImportsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'mailings/*',
                element: (
                  <RequireSection section="mailings">
                    <MailingsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'distribution',
                element: (
                  <RequireSection section="distribution">
                    <DistributionsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'distribution/element/:kind/:elementId',
                element: (
                  <RequireSection section="distribution">
                    <ElementDistributionPage />
                  </RequireSection>
                ),
              },
              // A notification's subject `distribution` links here (shared/notifications.ts subjectPath).
              {
                path: 'distribution/:distributionId',
                element: (
                  <RequireSection section="distribution">
                    <DistributionPage />
                  </RequireSection>
                ),
              },
              {
                path: 'substitutes',
                element: (
                  <RequireSection section="substitutes">
                    <SubstitutesPage />
                  </RequireSection>
                ),
              },
              {
                path: 'settings',
                element: (
                  <RequireSection section="settings">
                    <AccountSettingsPage />
                  </RequireSection>
                ),
              },
              {
                path: 'notifications',
                element: (
                  <RequireSection section="notifications">
                    <NotificationsPage />
                  </RequireSection>
                ),
              },
            ],
          },
          { path: '*', element: <NoAccess reason="notFound" /> },
        ],
      },
    ],
  },
];
