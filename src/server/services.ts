import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/types.ts';
import { AccessService } from './modules/accounts/access.service.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { UsersService } from './modules/users/users.service.ts';
import type { SecretBox } from './security/secret-box.ts';

/** Every service, built once per process and shared by routes and job handlers. */
export interface AppServices {
  access: AccessService;
  accounts: AccountsService;
  auth: AuthService;
  users: UsersService;
  /** Seals secrets stored at rest (FTP and SMS credentials). */
  secrets: SecretBox;
}

export function buildServices(
  config: Config,
  database: Database,
  clock: Clock,
  secrets: SecretBox,
): AppServices {
  const db = database.db;
  const access = new AccessService(db);
  return {
    access,
    accounts: new AccountsService(db),
    auth: new AuthService(db, clock, config),
    users: new UsersService(db, clock, access),
    secrets,
  };
}
