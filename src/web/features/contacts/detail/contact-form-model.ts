import { z } from 'zod';
import type {
  Consent,
  Contact,
  CreateContactBody,
  CustomField,
  CustomValue,
} from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { fieldIssues } from '../../../components/invalid-fields.ts';

/** The contact form as typed: every value a string until it is sent (custom booleans as 'true'/'false'). */
export interface ContactFormValues {
  email: string;
  phone: string;
  firstName: string;
  lastName: string;
  emailConsent: Consent;
  smsConsent: Consent;
  /** By custom field key. */
  custom: Record<string, string>;
  tagIds: string[];
  listIds: string[];
}

export type FormField =
  | 'email'
  | 'phone'
  | 'firstName'
  | 'lastName'
  | 'emailConsent'
  | 'smsConsent'
  | 'tagIds'
  | 'listIds'
  | `custom.${string}`;

export type FormErrorReason =
  | 'email'
  | 'emailOrPhone'
  | 'emailTaken'
  | 'phone'
  | 'phoneTaken'
  | 'number'
  | 'date'
  | 'tooLong'
  | 'unknownItem'
  | 'invalid';

const NAME_MAX = 200;
const CUSTOM_TEXT_MAX = 2000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const emailSchema = z.email();

export function valuesOf(contact: Contact | null, fields: readonly CustomField[]): ContactFormValues {
  const custom: Record<string, string> = {};
  for (const field of fields) {
    const value = contact?.customFields[field.key];
    custom[field.key] = value === undefined || value === null ? '' : String(value);
  }
  return {
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    firstName: contact?.firstName ?? '',
    lastName: contact?.lastName ?? '',
    emailConsent: contact?.emailConsent ?? 'subscribed',
    smsConsent: contact?.smsConsent ?? 'subscribed',
    custom,
    tagIds: contact?.tagIds ?? [],
    listIds: contact?.listIds ?? [],
  };
}

/** What the form can tell before sending; the server checks everything again. */
export function checkValues(
  values: ContactFormValues,
  fields: readonly CustomField[],
): Map<FormField, FormErrorReason> {
  const errors = new Map<FormField, FormErrorReason>();
  const email = values.email.trim();
  const phone = values.phone.trim();
  if (email && !emailSchema.safeParse(email).success) errors.set('email', 'email');
  if (!email && !phone) errors.set('email', 'emailOrPhone');
  if (phone && phone.length < 3) errors.set('phone', 'phone');
  if (values.firstName.trim().length > NAME_MAX) errors.set('firstName', 'tooLong');
  if (values.lastName.trim().length > NAME_MAX) errors.set('lastName', 'tooLong');
  for (const field of fields) {
    const text = (values.custom[field.key] ?? '').trim();
    if (!text) continue;
    if (field.type === 'number' && !Number.isFinite(Number(text)))
      errors.set(`custom.${field.key}`, 'number');
    if (field.type === 'date' && (!DATE.test(text) || Number.isNaN(Date.parse(text))))
      errors.set(`custom.${field.key}`, 'date');
    if (field.type === 'text' && text.length > CUSTOM_TEXT_MAX) errors.set(`custom.${field.key}`, 'tooLong');
  }
  return errors;
}

function customValue(field: CustomField, text: string): CustomValue {
  if (!text) return null;
  switch (field.type) {
    case 'text':
    case 'date':
      return text;
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 'true';
  }
}

/**
 * The body of a create or update: every field of the form. Custom fields merge key by key on the
 * server and null removes one, so an emptied field is sent as null (left out when creating).
 */
export function bodyOf(
  values: ContactFormValues,
  fields: readonly CustomField[],
  creating: boolean,
): CreateContactBody {
  const customFields: Record<string, CustomValue> = {};
  for (const field of fields) {
    const value = customValue(field, (values.custom[field.key] ?? '').trim());
    if (value !== null || !creating) customFields[field.key] = value;
  }
  return {
    email: values.email.trim() || null,
    phone: values.phone.trim() || null,
    firstName: values.firstName.trim() || null,
    lastName: values.lastName.trim() || null,
    emailConsent: values.emailConsent,
    smsConsent: values.smsConsent,
    customFields,
    tagIds: values.tagIds,
    listIds: values.listIds,
  };
}

const FORM_FIELDS = new Set<string>([
  'email',
  'phone',
  'firstName',
  'lastName',
  'emailConsent',
  'smsConsent',
  'tagIds',
  'listIds',
]);

/**
 * The inputs a server error names: `email`, `body.email`, `customFields.shoe_size`, `body.tagIds.0`…
 * A taken email or phone (409) says so; anything else the server refused is marked as not valid.
 */
export function serverFormErrors(error: unknown, values: ContactFormValues): Map<FormField, FormErrorReason> {
  const errors = new Map<FormField, FormErrorReason>();
  const conflict = error instanceof ApiError && error.status === 409;
  for (const issue of fieldIssues(error)) {
    const segments = issue.field.split('.');
    if (segments[0] === 'body') segments.shift();
    const [head, key] = segments;
    if (head === 'customFields' && key) {
      errors.set(`custom.${key}`, 'invalid');
    } else if (head === 'email') {
      errors.set('email', conflict ? 'emailTaken' : values.email.trim() ? 'email' : 'emailOrPhone');
    } else if (head === 'phone') {
      errors.set('phone', conflict ? 'phoneTaken' : 'phone');
    } else if (head === 'tagIds' || head === 'listIds') {
      errors.set(head, 'unknownItem');
    } else if (head && FORM_FIELDS.has(head)) {
      errors.set(head as FormField, 'invalid');
    }
  }
  return errors;
}
