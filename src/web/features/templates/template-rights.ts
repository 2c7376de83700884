import type { Right } from '../../../shared/rights.ts';

/** Who may create, change and delete templates (the server checks again): a sender or a mailer. */
export function mayEditTemplates(rights: readonly Right[]): boolean {
  return rights.includes('messaging.send') || rights.includes('mailings.manage');
}
