// Open and click tracking: reads a tracking link's signed token and records the hit in the message's
// account. A forged, altered, otherwise-signed or expired token records nothing. Opens from image
// proxies (Apple Mail Privacy Protection, Gmail) and clicks from link scanners are recorded like any
// other: they are not filtered, and the statistics say that opens are inflated by them.
import type { Clock } from '../../clock.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import type { Db } from '../../db/types.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { readClickToken, readOpenToken, type TrackedClick } from './tracking-links.ts';
import { recordHit, recordImpliedOpen, trackingCounts, type TrackingCounts } from './tracking.repo.ts';

export class TrackingService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
  ) {}

  /** Records an open for a pixel token; answers whether the token was valid (the pixel is served anyway). */
  async open(token: string): Promise<boolean> {
    const now = this.clock.now();
    const read = readOpenToken(this.secrets, token, now);
    if (!read.ok) return false;
    const { accountId, messageId } = read.target;
    await withTenant(this.db, asAccountId(accountId), (tx) =>
      recordHit(tx, asAccountId(accountId), { messageId, kind: 'open', url: '', at: now }),
    );
    return true;
  }

  /**
   * What a click token names (message and target URL), or null when it is forged, altered,
   * otherwise signed or expired: then nothing is recorded and nothing redirects.
   */
  clickTarget(token: string): TrackedClick | null {
    const read = readClickToken(this.secrets, token, this.clock.now());
    return read.ok ? read.target : null;
  }

  /**
   * Records a click of a verified token's link, and an open if none is recorded (a click implies
   * the message was opened). A message that is gone records nothing.
   */
  async recordClick(click: TrackedClick): Promise<void> {
    const now = this.clock.now();
    const account = asAccountId(click.accountId);
    await withTenant(this.db, account, async (tx) => {
      if (
        await recordHit(tx, account, { messageId: click.messageId, kind: 'click', url: click.url, at: now })
      )
        await recordImpliedOpen(tx, account, click.messageId, now);
    });
  }

  /** Opens and clicks of one bulk action of `accountId` (see trackingCounts). */
  async counts(accountId: number, actionId: number): Promise<TrackingCounts> {
    const account = asAccountId(accountId);
    return withTenant(this.db, account, (tx) => trackingCounts(tx, account, actionId));
  }
}
