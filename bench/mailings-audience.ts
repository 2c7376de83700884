// The mailings bench's audience, scaled by R (recipients): 10·R contacts `kunde{g}@bench.example`
// (g = 0 … 10·R − 1), a subscriber list of 3·R of them, a target group (a SmartList: tag "Kunde
// 2026") of a third of all contacts, so list ∩ target group = R, of whom a few are unsubscribed or
// hard-bounced. At R = 100,000: 1,000,000 contacts, a list of 300,000, ~97,000 recipients.
// The rules are written once here, as TypeScript (the expected counts) and as SQL over g (the seed).

/** g of an address `kunde{g}@bench.example`, or null for any other address. */
export function indexOf(address: string): number | null {
  const m = /^kunde(\d+)@bench\.example$/i.exec(address.trim());
  return m ? Number(m[1]) : null;
}

/** Contact g is a member of the subscriber list (3 in 10). */
export const inList = (g: number): boolean => g % 10 < 3;
/** Contact g has the target group's tag (1 in 3). */
export const tagged = (g: number): boolean => g % 3 === 0;
/** Contact g withdrew email consent: a few inside the audience, a few outside. */
export const unsubscribed = (g: number): boolean => g % 600 === 12 || g % 50 === 49;
/** Contact g's address is hard-bounced (address_deliverability), so it is not sendable. */
export const hardBounced = (g: number): boolean => g % 1000 === 21;
/** The bench's SMTP server refuses contact g's message by policy (554 5.7.1): one in ten of the audience. */
export const refused = (g: number): boolean => Math.floor(g / 30) % 10 === 7;

/** The same rules as SQL over an integer expression `g` (the seed writes them with these). */
export const SQL_RULES = {
  inList: (g: string) => `${g} % 10 < 3`,
  tagged: (g: string) => `${g} % 3 = 0`,
  unsubscribed: (g: string) => `(${g} % 600 = 12 OR ${g} % 50 = 49)`,
  hardBounced: (g: string) => `${g} % 1000 = 21`,
};

/** What the audience of list × target group must count at R recipients, step by step. */
export interface AudienceShape {
  contacts: number;
  listMembers: number;
  inTargetGroups: number;
  withConsent: number;
  /** Sendable: with consent and a deliverable address. */
  recipients: number;
  /** Of the recipients, those the SMTP server refuses (the re-send's unreached with includeFailed). */
  refused: number;
}

/** The expected counts for `recipients` R (10·R contacts), by walking every g once. */
export function audienceShape(recipients: number): AudienceShape {
  const contacts = 10 * recipients;
  const shape: AudienceShape = {
    contacts,
    listMembers: 0,
    inTargetGroups: 0,
    withConsent: 0,
    recipients: 0,
    refused: 0,
  };
  for (let g = 0; g < contacts; g++) {
    if (!inList(g)) continue;
    shape.listMembers++;
    if (!tagged(g)) continue;
    shape.inTargetGroups++;
    if (unsubscribed(g)) continue;
    shape.withConsent++;
    if (hardBounced(g)) continue;
    shape.recipients++;
    if (refused(g)) shape.refused++;
  }
  return shape;
}
