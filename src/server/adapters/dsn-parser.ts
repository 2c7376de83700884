// Bounce messages (RFC 3464 delivery status notifications, as Postfix, Exim, Exchange and the big
// mailbox providers send them) read into what Herald needs: per recipient whether the bounce is
// hard (status 5.x.x) or soft (4.x.x), the server's words, and the Message-ID of the message that
// bounced (from the returned message or its headers). Used by the bounce webhook; a mailbox poller
// can use the same function.
import { simpleParser, type Attachment } from 'mailparser';

/** One recipient's line of a delivery status notification that reports a failure or a delay. */
export interface DsnRecipient {
  /** The address that bounced (Final-Recipient, else Original-Recipient), lower-cased. */
  recipient: string;
  /** `failed`, `delayed` (RFC 3464 Action). */
  action: string;
  /** The enhanced status code, e.g. `5.1.1`. */
  status: string;
  /** 5.x.x: the address will not work; 4.x.x: it may work later. */
  kind: 'hard' | 'soft';
  /** Diagnostic-Code without its type (`smtp; `), else null. */
  diagnostic: string | null;
}

export interface ParsedDsn {
  /** The Message-ID of the message that bounced, with angle brackets, or null when not returned. */
  originalMessageId: string | null;
  /** Only recipients that failed or were delayed; delivered, relayed and expanded ones are left out. */
  recipients: DsnRecipient[];
}

/** The largest bounce message read (bounces return the original message; newsletters are small). */
export const MAX_DSN_BYTES = 5 * 1024 * 1024;

/**
 * Reads a raw RFC 5322 message. Answers null when it is no delivery status notification (an
 * out-of-office reply, a plain message), so the caller can ignore it.
 */
export async function parseDsn(raw: Buffer | string): Promise<ParsedDsn | null> {
  const mail = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextLinks: true,
  });
  const status = mail.attachments.find((a) => contentTypeOf(a) === 'message/delivery-status');
  if (!status) return null;
  const groups = fieldGroups(status.content.toString('utf8'));
  // The first group is about the message (Reporting-MTA, …); each further group is one recipient.
  const recipients: DsnRecipient[] = [];
  for (const fields of groups.slice(1)) {
    const action = (fields.get('action') ?? '').toLowerCase();
    const code = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(fields.get('status') ?? '');
    const recipient = typed(fields.get('final-recipient') ?? fields.get('original-recipient') ?? '');
    if (!recipient || !code || (action !== 'failed' && action !== 'delayed')) continue;
    if (code[1] === '2') continue;
    recipients.push({
      recipient: recipient.toLowerCase(),
      action,
      status: code[0],
      kind: code[1] === '5' ? 'hard' : 'soft',
      diagnostic: fields.has('diagnostic-code') ? typed(fields.get('diagnostic-code')!) : null,
    });
  }
  return { originalMessageId: originalMessageId(mail.attachments), recipients };
}

function contentTypeOf(a: Attachment): string {
  return a.contentType.toLowerCase().split(';')[0]!.trim();
}

/**
 * The header-style groups of a delivery-status body (RFC 3464 §2.1: blocks of fields separated by
 * blank lines), with continuation lines unfolded and names lower-cased.
 */
function fieldGroups(body: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | null = null;
    for (const line of block.split('\n')) {
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!.trim());
    }
    if (fields.size > 0) groups.push(fields);
  }
  return groups;
}

/** `rfc822; a@b` → `a@b`; `smtp; 550 …` → `550 …` (the value without its type). */
function typed(value: string): string {
  const i = value.indexOf(';');
  return (i >= 0 ? value.slice(i + 1) : value).trim();
}

/** The Message-ID in the returned message (message/rfc822) or its headers (text/rfc822-headers). */
function originalMessageId(attachments: Attachment[]): string | null {
  for (const a of attachments) {
    const type = contentTypeOf(a);
    if (type !== 'message/rfc822' && type !== 'text/rfc822-headers' && type !== 'message/rfc822-headers')
      continue;
    const text = a.content.toString('utf8').replace(/\r\n/g, '\n');
    const headers = text.split(/\n\n/)[0]!.replace(/\n[ \t]+/g, ' ');
    const m = /^message-id:\s*(<[^<>\s]+>)/im.exec(headers);
    if (m) return m[1]!;
  }
  return null;
}
