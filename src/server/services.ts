import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/types.ts';
import { AccessService } from './modules/accounts/access.service.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { UsersService } from './modules/users/users.service.ts';
import type { SecretBox } from './security/secret-box.ts';
import { CatalogService } from './modules/contacts/catalog.service.ts';
import { ContactsService } from './modules/contacts/contacts.service.ts';
import { SelectionService } from './modules/selections/selection.service.ts';
import { SmartListsService } from './modules/smart-lists/smart-lists.service.ts';

/** Every service, built once per process and shared by routes and job handlers. */
export interface AppServices {
  access: AccessService;
  accounts: AccountsService;
  auth: AuthService;
  users: UsersService;
  catalog: CatalogService;
  contacts: ContactsService;
  selections: SelectionService;
  smartLists: SmartListsService;
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
  const selections = new SelectionService(db, clock);
  return {
    catalog: new CatalogService(db),
    contacts: new ContactsService(db, clock, selections),
    selections,
    smartLists: new SmartListsService(db, clock, selections),
    access,
    accounts: new AccountsService(db),
    auth: new AuthService(db, clock, config),
    users: new UsersService(db, clock, access),
    secrets,
  };
}
