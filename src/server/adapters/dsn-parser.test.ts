// The DSN parser on bounces shaped as Postfix and Exchange Online send them (hard and soft), and
// on a message that only looks like one.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseDsn } from './dsn-parser.ts';

const fixture = (name: string) =>
  fs.readFile(fileURLToPath(new URL(`../../../test/fixtures/dsn/${name}`, import.meta.url)));

describe('parseDsn', () => {
  it('reads a Postfix hard bounce: 5.1.1, the diagnostic unfolded, the returned message id', async () => {
    expect(await parseDsn(await fixture('postfix-hard.eml'))).toEqual({
      originalMessageId: '<a12.c34@herald.test>',
      recipients: [
        {
          recipient: 'nobody@example.org',
          action: 'failed',
          status: '5.1.1',
          kind: 'hard',
          diagnostic: '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown',
        },
      ],
    });
  });

  it('reads a Postfix delay warning as soft, the id from folded text/rfc822-headers', async () => {
    expect(await parseDsn(await fixture('postfix-delayed.eml'))).toEqual({
      originalMessageId: '<a12.c35@herald.test>',
      recipients: [
        {
          recipient: 'full@example.net',
          action: 'delayed',
          status: '4.2.2',
          kind: 'soft',
          diagnostic: '452 4.2.2 Mailbox full',
        },
      ],
    });
  });

  it('reads an Exchange Online NDR (CRLF, nested alternative part, 5.1.10)', async () => {
    expect(await parseDsn(await fixture('exchange-hard.eml'))).toEqual({
      originalMessageId: '<a7.c99@herald.test>',
      recipients: [
        {
          recipient: 'gone@contoso.com',
          action: 'failed',
          status: '5.1.10',
          kind: 'hard',
          diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        },
      ],
    });
  });

  it('answers null for a message without a delivery-status part, whatever its text says', async () => {
    expect(await parseDsn(await fixture('out-of-office.eml'))).toBeNull();
    expect(await parseDsn('not a message at all')).toBeNull();
  });

  it('leaves out recipients that were delivered or relayed', async () => {
    const raw = (await fixture('postfix-hard.eml'))
      .toString('utf8')
      .replace('Action: failed\nStatus: 5.1.1', 'Action: relayed\nStatus: 2.0.0');
    expect(await parseDsn(raw)).toEqual({ originalMessageId: '<a12.c34@herald.test>', recipients: [] });
  });
});
