// Open and click tracking: reads a tracking link's signed token and records the hit in the message's
// account. A forged, altered, otherwise-signed or expired token records nothing. Opens from image
// proxies (Apple Mail Privacy Protection, Gmail) and clicks from link scanners are recorded like any
// other: they are not filtered, and the statistics say that opens are inflated by them.
import type { Clock } from '../../clock.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import type { Db } from '../../db/types.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { readClickToken, readOpenToken } from './tracking-links.ts';
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
   * The target URL of a click token, after recording the click (and an open, if none was recorded:
   * a click implies the message was opened); null when the token is forged, altered, otherwise
   * signed or expired (nothing recorded, no redirect). A valid token whose message is gone still
   * redirects: the link was Herald's.
   */
  async click(token: string): Promise<string | null> {
    const now = this.clock.now();
    const read = readClickToken(this.secrets, token, now);
    if (!read.ok) return null;
    const { accountId, messageId, url } = read.target;
    const account = asAccountId(accountId);
    await withTenant(this.db, account, async (tx) => {
      if (await recordHit(tx, account, { messageId, kind: 'click', url, at: now }))
        await recordImpliedOpen(tx, account, messageId, now);
    });
    return url;
  }

  /** Opens and clicks of one bulk action of `accountId` (see trackingCounts). */
  async counts(accountId: number, actionId: number): Promise<TrackingCounts> {
    const account = asAccountId(accountId);
    return withTenant(this.db, account, (tx) => trackingCounts(tx, account, actionId));
  }
}
