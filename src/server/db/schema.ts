// Drizzle table definitions mirroring migrations/*.sql (the SQL files are the source of truth).
import { sql } from 'drizzle-orm';
import { bigint, boolean, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const accounts = pgTable('accounts', {
  id: id(),
  parentId: bigint('parent_id', { mode: 'number' }),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['agency', 'sub_account'] }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  timeZone: text('time_zone').notNull().default('Europe/Berlin'),
});

export const users = pgTable('users', {
  id: id(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  language: text('language', { enum: ['en', 'de'] }),
  emailSystemMessages: boolean('email_system_messages').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  timeZone: text('time_zone'),
});

export const memberships = pgTable(
  'memberships',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId] })],
);

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: ts('created_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
});

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  lastUsedAt: ts('last_used_at'),
  expiresAt: ts('expires_at'),
  revokedAt: ts('revoked_at'),
});

export const loginFailures = pgTable('login_failures', {
  id: id(),
  email: text('email').notNull(),
  ip: text('ip').notNull(),
  failedAt: ts('failed_at').notNull(),
});

export const contacts = pgTable('contacts', {
  id: id(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  email: text('email'),
  phone: text('phone'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  createdBy: bigint('created_by', { mode: 'number' }),
  updatedBy: bigint('updated_by', { mode: 'number' }),
  deletedAt: ts('deleted_at'),
  emailConsent: text('email_consent', { enum: ['subscribed', 'unsubscribed'] }).notNull(),
  smsConsent: text('sms_consent', { enum: ['subscribed', 'unsubscribed'] }).notNull(),
  customFields: jsonb('custom_fields').$type<Record<string, string | number | boolean | null>>().notNull(),
  emailDomain: text('email_domain').generatedAlwaysAs(sql`lower(split_part(email, '@', 2))`),
  sortEmail: text('sort_email').generatedAlwaysAs(sql`coalesce(lower(email), '')`),
  sortFirstName: text('sort_first_name').generatedAlwaysAs(sql`coalesce(lower(first_name), '')`),
  sortLastName: text('sort_last_name').generatedAlwaysAs(sql`coalesce(lower(last_name), '')`),
});

const accountId = () => bigint('account_id', { mode: 'number' }).notNull();

export const tags = pgTable('tags', {
  id: id(),
  accountId: accountId(),
  name: text('name').notNull(),
  color: text('color'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const contactTags = pgTable(
  'contact_tags',
  {
    accountId: accountId(),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    tagId: bigint('tag_id', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tagId] })],
);

export const subscriberLists = pgTable('subscriber_lists', {
  id: id(),
  accountId: accountId(),
  name: text('name').notNull(),
  description: text('description'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const listMembers = pgTable(
  'list_members',
  {
    accountId: accountId(),
    listId: bigint('list_id', { mode: 'number' }).notNull(),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.contactId] })],
);

export const customFieldDefs = pgTable('custom_field_defs', {
  id: id(),
  accountId: accountId(),
  key: text('key').notNull(),
  label: text('label').notNull(),
  type: text('type', { enum: ['text', 'number', 'date', 'boolean'] }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const smartLists = pgTable('smart_lists', {
  id: id(),
  accountId: accountId(),
  name: text('name').notNull(),
  filter: jsonb('filter').notNull(),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  repairNotes: jsonb('repair_notes').notNull().default([]),
});
