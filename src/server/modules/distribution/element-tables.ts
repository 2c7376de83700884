// Where each kind of element lives: the table and, for templates, the channel. Substitutes, copies,
// suggestions and name checks all look an element up by kind through this one map.
import { sql, type SQL } from 'drizzle-orm';
import type { DistributableKind, ElementKind } from '../../../shared/distribution.ts';

interface ElementTable {
  /** The table as a raw identifier. */
  table: SQL;
  /** An extra condition on alias `e` (the template channel), or an empty fragment. */
  where: SQL;
}

const TABLES: Record<ElementKind, ElementTable> = {
  email_template: { table: sql.raw('message_templates'), where: sql` AND e.channel = 'email'` },
  sms_template: { table: sql.raw('message_templates'), where: sql` AND e.channel = 'sms'` },
  mailing: { table: sql.raw('mailings'), where: sql`` },
  subscriber_list: { table: sql.raw('subscriber_lists'), where: sql`` },
  target_group: { table: sql.raw('smart_lists'), where: sql`` },
  sender_profile: { table: sql.raw('sender_profiles'), where: sql`` },
};

/** The table of a kind and its channel condition (alias `e` in the caller's FROM). */
export const tableOf = (kind: ElementKind): ElementTable => TABLES[kind];

/** Whether a kind is a template (message_templates) rather than a mailing. */
export const isTemplateKind = (kind: DistributableKind): kind is 'email_template' | 'sms_template' =>
  kind !== 'mailing';
