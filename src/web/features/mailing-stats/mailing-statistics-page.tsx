// CONTRACT PLACEHOLDER (replaced by the statistics work before it lands): the statistics page of
// one mailing, rendered by the Mailings section's routes at /mailings/:mailingId/statistics.
export function MailingStatisticsPage({ accountId, mailingId }: { accountId: string; mailingId: string }) {
  return <div data-testid="mailing-statistics" data-account-id={accountId} data-mailing-id={mailingId} />;
}
