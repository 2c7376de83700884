import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../../security/passwords.ts';
import { hashToken, newSecret } from '../../security/tokens.ts';
import type { ApiToken, CreatedApiToken } from '../../../shared/auth.ts';
import { findUserByEmail, type UserRow } from '../users/users.repo.ts';
import * as repo from './auth.repo.ts';

/** Who is making a request, and how they proved it. */
export type Principal =
  | { userId: number; via: 'session'; sessionId: string; csrfToken: string }
  | { userId: number; via: 'token'; tokenId: number };

// Refreshing last_seen_at on every request would write on every read; once a minute is enough.
const TOUCH_INTERVAL_MS = 60_000;

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'session' | 'login'>,
  ) {}

  /**
   * Checks credentials (throttled per email and per IP) and opens a session. Returns the cookie token.
   * Each attempt first takes a slot under the limits (counted as a failure), and only then is the
   * password checked; a success clears the email's failures. So parallel guesses cannot check more
   * passwords than the limit allows, however they race.
   */
  async login(
    email: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; user: UserRow; csrfToken: string }> {
    const now = this.clock.now();
    const key = email.trim().toLowerCase();
    const reserved = await this.db.transaction((tx) =>
      repo.reserveLoginAttempt(tx, {
        email: key,
        ip,
        at: now,
        since: new Date(now.getTime() - this.config.login.windowMs),
        maxByEmail: this.config.login.maxFailures,
        maxByIp: this.config.login.maxFailures * 4,
      }),
    );
    if (!reserved) {
      throw new AppError('RATE_LIMITED', 'Too many failed login attempts; try again later', {
        retryAfterSeconds: Math.ceil(this.config.login.windowMs / 1000),
      });
    }
    const user = await findUserByEmail(this.db, key);
    // Verify against a dummy hash for unknown emails so response time does not reveal who has an account.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    // The failure was recorded when the attempt took its slot.
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
    await repo.clearFailures(this.db, key);
    const token = newSecret('hs');
    const csrfToken = newSecret('csrf');
    await repo.insertSession(this.db, {
      id: hashToken(token),
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.expiry(now, now),
    });
    return { token, user, csrfToken };
  }

  async logout(sessionId: string): Promise<void> {
    await repo.deleteSession(this.db, sessionId);
  }

  /** Resolves a session cookie. Answers 'expired' for a known but lapsed session (the UI says so). */
  async fromSessionCookie(token: string): Promise<Principal | 'expired' | null> {
    const id = hashToken(token);
    const session = await repo.findSession(this.db, id);
    if (!session) return null;
    const now = this.clock.now();
    if (session.expiresAt <= now) {
      await repo.deleteSession(this.db, id);
      return 'expired';
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await repo.touchSession(this.db, id, now, this.expiry(session.createdAt, now));
    }
    return { userId: session.userId, via: 'session', sessionId: id, csrfToken: session.csrfToken };
  }

  /** Whether a principal resolved earlier still holds (long-lived streams ask before each push). */
  async stillValid(principal: Principal): Promise<boolean> {
    const now = this.clock.now();
    if (principal.via === 'session') {
      const session = await repo.findSession(this.db, principal.sessionId);
      return Boolean(session && session.expiresAt > now);
    }
    return repo.isApiTokenActive(this.db, principal.tokenId, now);
  }

  async fromBearerToken(token: string): Promise<Principal | null> {
    const now = this.clock.now();
    const row = await repo.findActiveApiToken(this.db, hashToken(token), now);
    if (!row) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await repo.markApiTokenUsed(this.db, row.id, now);
    }
    return { userId: row.userId, via: 'token', tokenId: row.id };
  }

  async createApiToken(userId: number, name: string, expiresInDays?: number): Promise<CreatedApiToken> {
    const now = this.clock.now();
    const token = newSecret('hrt');
    const row = await repo.insertApiToken(this.db, {
      userId,
      name,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null,
    });
    return { ...toApiToken(row), token };
  }

  async listApiTokens(userId: number): Promise<ApiToken[]> {
    return (await repo.listApiTokens(this.db, userId)).map(toApiToken);
  }

  async revokeApiToken(userId: number, tokenId: number): Promise<void> {
    if (!(await repo.revokeApiToken(this.db, userId, tokenId, this.clock.now()))) {
      throw new AppError('NOT_FOUND', 'API token not found');
    }
  }

  /** Housekeeping job: drops lapsed sessions and old login failures. */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    return repo.purgeExpired(this.db, now, new Date(now.getTime() - this.config.login.windowMs));
  }

  /** Sliding idle timeout, capped by an absolute lifetime from login. */
  private expiry(createdAt: Date, now: Date): Date {
    return new Date(
      Math.min(now.getTime() + this.config.session.idleMs, createdAt.getTime() + this.config.session.maxMs),
    );
  }
}

function toApiToken(row: repo.ApiTokenRow): ApiToken {
  return {
    id: String(row.id),
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
