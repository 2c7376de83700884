import type { Contact } from '../../../shared/contacts.ts';
import type { ContactRow } from './contacts.repo.ts';

export function toContact(row: ContactRow): Contact {
  return {
    id: String(row.id),
    email: row.email,
    phone: row.phone,
    firstName: row.firstName,
    lastName: row.lastName,
    emailConsent: row.emailConsent,
    smsConsent: row.smsConsent,
    customFields: row.customFields,
    tagIds: row.tagIds.map(String),
    listIds: row.listIds.map(String),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy === null ? null : String(row.createdBy),
    updatedBy: row.updatedBy === null ? null : String(row.updatedBy),
  };
}
