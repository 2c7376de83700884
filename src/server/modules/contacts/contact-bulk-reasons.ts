// Why a contact bulk action left a contact unchanged, in words: the reason codes of the contact
// types' chunks (contact-bulk-chunks.ts), registered with each type for the stats page's reasons
// table and the error log.
import type { ReasonCatalog } from '../../engine/reasons.ts';

/** The contact types' reason codes and their labels (English and German). */
export const CONTACT_REASONS = {
  contact_deleted: {
    en: 'The contact was deleted in the meantime',
    de: 'Der Kontakt wurde zwischenzeitlich gelöscht',
  },
  already_tagged: { en: 'Already had the tag', de: 'Hatte den Tag bereits' },
  not_tagged: { en: 'Did not have the tag', de: 'Hatte den Tag nicht' },
  already_deleted: { en: 'Was already deleted', de: 'War bereits gelöscht' },
  already_live: {
    en: 'Was not deleted (any more): nothing to restore',
    de: 'War nicht (mehr) gelöscht: nichts wiederherzustellen',
  },
  email_in_use: {
    en: 'Another contact uses this email address by now',
    de: 'Die E-Mail-Adresse nutzt inzwischen ein anderer Kontakt',
  },
  phone_in_use: {
    en: 'Another contact uses this phone number by now',
    de: 'Die Telefonnummer nutzt inzwischen ein anderer Kontakt',
  },
  purged: {
    en: 'Deleted for good: the restore window had ended',
    de: 'Endgültig gelöscht: Die Wiederherstellungsfrist war abgelaufen',
  },
} as const satisfies ReasonCatalog;
