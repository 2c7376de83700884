import { z } from 'zod';
import type { Channel, MessageStatus } from '../../../shared/messaging.ts';
import type { MessagingSendBody } from '../../../shared/bulk-messaging.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { bulkActionPath, bulkKeys } from '../bulk-actions/bulk-api.ts';

/** The base of the bulk email / SMS calls of one account. */
export function messagingApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/messaging`;
}

/** A ledger page's query: an optional status filter and the cursor of the page before. */
export function ledgerUrl(
  accountId: string,
  actionId: string,
  status: MessageStatus | null,
  cursor: string | null,
  limit: number,
): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (status) query.set('status', status);
  if (cursor) query.set('cursor', cursor);
  return `${bulkActionPath(accountId, actionId)}/messages?${query.toString()}`;
}

/**
 * Query keys. Delivery results and ledger pages of an action sit under its bulk-action keys, so
 * the engine's invalidations (a control, an action that ended) reach them too.
 */
export const messagingKeys = {
  preview: (accountId: string, body: MessagingSendBody) =>
    [...bulkKeys.all(accountId), 'messaging-preview', body] as const,
  deliveries: (accountId: string, actionId: string) =>
    [...bulkKeys.stats(accountId, actionId), 'deliveries'] as const,
  ledger: (accountId: string, actionId: string, status: MessageStatus | null) =>
    [...bulkKeys.stats(accountId, actionId), 'messages', status ?? 'all'] as const,
  templates: (accountId: string, channel: Channel) =>
    ['accounts', accountId, 'templates', 'list', channel] as const,
  senderProfiles: (accountId: string) => ['accounts', accountId, 'sender-profiles'] as const,
};

/** Lists answer `{ items }`; an array is taken as it is. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z
    .union([z.object({ items: z.array(item) }), z.array(item)])
    .transform((value) => (Array.isArray(value) ? value : value.items));

/** The two messaging types of the bulk engine. */
export const MESSAGING_TYPES = ['bulk_email', 'bulk_sms'] as const;

export function isMessagingType(type: string): type is (typeof MESSAGING_TYPES)[number] {
  return (MESSAGING_TYPES as readonly string[]).includes(type);
}
