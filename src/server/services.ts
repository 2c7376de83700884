import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/types.ts';
import { AccessService } from './modules/accounts/access.service.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { UsersService } from './modules/users/users.service.ts';
import { InvitationsService } from './modules/users/invitations.service.ts';
import type { SecretBox } from './security/secret-box.ts';
import { CatalogService } from './modules/contacts/catalog.service.ts';
import { ContactsService } from './modules/contacts/contacts.service.ts';
import { SelectionService } from './modules/selections/selection.service.ts';
import { SmartListsService } from './modules/smart-lists/smart-lists.service.ts';
import type { JobSender } from './jobs/types.ts';
import { BulkActionsService } from './engine/actions.service.ts';
import { BulkReportsService } from './engine/reports.service.ts';
import { BulkRunner, CHUNK_SIZE, FREEZE_BATCH } from './engine/runner.ts';
import { BulkTypeRegistry } from './engine/registry.ts';
import { purgeIdempotencyKeys } from './engine/idempotency.ts';
import { purgeExpiredDeletes } from './modules/contacts/contact-bulk-purge.ts';
import { ContactBulkService } from './modules/contacts/contact-bulk.service.ts';
import { registerContactBulkTypes } from './modules/contacts/contact-bulk-types.ts';
import { registerImportBulkType } from './modules/imports/import-bulk-type.ts';
import { ImportsService } from './modules/imports/imports.service.ts';
import { ImportMappingsService } from './modules/imports/mappings.service.ts';
import { ImportSourcesService } from './modules/imports/sources.service.ts';
import { ImportSourceRunner } from './modules/imports/source-runs.ts';
import { Notifier } from './modules/notifications/notifier.ts';
import { NotificationsService } from './modules/notifications/notifications.service.ts';
import { NotificationMailer } from './modules/notifications/notification-mailer.ts';
import { purgeOldNotifications } from './modules/notifications/notification-retention.ts';
import { DeliveryRegistry } from './engine/delivery/delivery-kinds.ts';
import { DeliveryDispatcher } from './engine/delivery/delivery-dispatcher.ts';
import { outboxTransport, smtpTransport, type EmailTransport } from './adapters/email-transport.ts';
import { DeliverabilityService } from './modules/deliverability/deliverability.service.ts';
import { HooksService } from './modules/hooks/hooks.service.ts';
import {
  PROVIDER_EVENT_RETENTION_DAYS,
  purgeProviderEvents,
} from './modules/deliverability/ledger-events.repo.ts';
import { bulkDeliveryKind } from './engine/delivery-types.ts';
import { messagingKinds } from './modules/messaging/messaging-kinds.ts';
import { TrackingService } from './modules/tracking/tracking.service.ts';
import { registerMessagingBulkTypes } from './modules/messaging/messaging-bulk-types.ts';
import { MessagingService } from './modules/messaging/messaging.service.ts';
import { MailingStatsService } from './modules/mailing-stats/mailing-stats.service.ts';
import { AccountChannels } from './modules/senders/account-channels.ts';
import type { MessagingChannels } from './modules/senders/channels.ts';
import { TemplatesService } from './modules/templates/templates.service.ts';
import { SendersService } from './modules/senders/senders.service.ts';
import { MailingSends } from './modules/mailings/mailing-sends.ts';
import { MailingsService } from './modules/mailings/mailings.service.ts';
import { SubstitutesService } from './modules/substitutes/substitutes.service.ts';
import { SubstitutesCsv } from './modules/substitutes/substitutes-csv.ts';
import { DistributionService } from './modules/distribution/distribution.service.ts';
import { DistributionRunner } from './modules/distribution/distribution-runner.ts';

/** Outside calls one worker process makes at once (bulk email and SMS fill most of them). */
const DELIVERY_CONCURRENCY = 128;

/** Every service, built once per process and shared by routes and job handlers. */
export interface AppServices {
  access: AccessService;
  accounts: AccountsService;
  auth: AuthService;
  users: UsersService;
  invitations: InvitationsService;
  catalog: CatalogService;
  contacts: ContactsService;
  selections: SelectionService;
  smartLists: SmartListsService;
  /** The bulk engine's front: start, list and control actions of any registered type. */
  bulkActions: BulkActionsService;
  /** The types features registered (contacts: add/remove tag, delete, restore). */
  bulkTypes: BulkTypeRegistry;
  /** Contact bulk actions from a selection: preview and create. */
  contactBulk: ContactBulkService;
  bulkReports: BulkReportsService;
  bulkRunner: BulkRunner;
  /**
   * Daily: deletes for good what delete jobs removed more than 60 days ago (returns how many
   * contacts), forgets Idempotency-Keys past their 24 hours and provider event ids past
   * PROVIDER_EVENT_RETENTION_DAYS.
   */
  bulkPurge(): Promise<number>;
  /** Producers' entry point: `notifier.notify(tx, accountId, event)`. */
  notifier: Notifier;
  notifications: NotificationsService;
  notificationMailer: NotificationMailer;
  /** The delivery kinds this process can send (features register theirs here). */
  deliveryKinds: DeliveryRegistry;
  /** Sends the delivery outbox (`deliveries.dispatch` job). */
  deliveries: DeliveryDispatcher;
  /** Deletes notifications past the retention age; returns how many. */
  notificationPurge(): Promise<number>;
  /** Seals secrets stored at rest (FTP and SMS credentials). */
  secrets: SecretBox;
  config: Config;
  imports: ImportsService;
  importMappings: ImportMappingsService;
  importSources: ImportSourcesService;
  importSourceRunner: ImportSourceRunner;
  /** Delivery results (provider events), deliverability per address, opt-outs, unsubscribe links. */
  deliverability: DeliverabilityService;
  /** The public webhooks: token → account, callers' signatures, provider payloads. */
  hooks: HooksService;
  /**
   * Each account's email and SMS channel and the shared rate buckets (closed on process stop).
   * Bulk sends read it at send time: a test may put other channels in its place.
   */
  channels: AccountChannels | MessagingChannels;
  /** Bulk email and SMS: preview, start, delivery results, recipient table. */
  messaging: MessagingService;
  /** Email statistics of mailings: figures, timeline, recipient table and its CSV. */
  mailingStats: MailingStatsService;
  /** Email and SMS templates: CRUD, merge-field catalog, preview. */
  templates: TemplatesService;
  /** Sender settings: SMTP, SMS provider, rates, webhooks, sender profiles, test messages. */
  senders: SendersService;
  /** Open and click tracking of tracked emails: the /t/o and /t/c links, counts per send. */
  tracking: TrackingService;
  /** Standard mailings: drafts, audience, schedule, controls, re-send; `mailings.sends.tick()` for the scheduler. */
  mailings: MailingsService;
  /** Substitutes of a source account's elements in its descendants; accepted kinds per account. */
  substitutes: SubstitutesService;
  /** CSV export and import of substitutes. */
  substitutesCsv: SubstitutesCsv;
  /** Distribution from a source account into its descendants: targets, dry run, start, retry, history, copies, rollback. */
  distribution: DistributionService;
  /** Runs a distribution's pending targets (`distribution.run`); `findRunnable()` for the sweep. */
  distributionRunner: DistributionRunner;
}

export function buildServices(
  config: Config,
  database: Database,
  clock: Clock,
  secrets: SecretBox,
  jobs: JobSender,
  transport: EmailTransport = config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(),
): AppServices {
  const db = database.db;
  const access = new AccessService(db);
  const selections = new SelectionService(db, clock);
  const notifier = new Notifier(clock, config.notifications.groupWindowMs);
  const bulkTypes = new BulkTypeRegistry();
  registerContactBulkTypes(bulkTypes, selections);
  const bulkActions = new BulkActionsService(db, clock, jobs, bulkTypes);
  const chunk = config.bulkChunkSize ?? CHUNK_SIZE[database.kind];
  registerImportBulkType(bulkTypes, config.imports.dir, Math.max(chunk, 1_000));
  const notificationMailer = new NotificationMailer(
    db,
    transport,
    { publicUrl: config.publicUrl, from: config.mail.from },
    bulkTypes,
  );
  const imports = new ImportsService(db, clock, bulkActions, config.imports.dir, config.imports.maxBytes);
  const importSources = new ImportSourcesService(db, clock, secrets, jobs);
  const deliverability = new DeliverabilityService(db, clock, secrets);
  const deliveryKinds = new DeliveryRegistry();
  deliveryKinds.registerDeliveryKind(notificationMailer.kind);
  const bulkRunner = new BulkRunner(
    db,
    clock,
    { chunk, freeze: Math.max(chunk, FREEZE_BATCH[database.kind]) },
    notifier,
    bulkTypes,
  );
  const channels = new AccountChannels(db, secrets, {
    smtpUrl: config.smtpUrl,
    emailRate: config.messaging.emailRate,
    smsRate: config.messaging.smsRate,
    maxConnections: 16,
  });
  // Read at send time, so that a process (or a test) can swap the channels after building.
  const messaging = messagingKinds({
    db,
    clock,
    secrets,
    publicUrl: config.publicUrl,
    channels: () => services.channels,
  });
  registerMessagingBulkTypes(
    bulkTypes,
    selections,
    {
      email: deliveryKinds.registerDeliveryKind(bulkDeliveryKind(messaging.email, bulkRunner)),
      sms: deliveryKinds.registerDeliveryKind(bulkDeliveryKind(messaging.sms, bulkRunner)),
    },
    () => services.mailings.sends.hooks(),
  );
  const messagingService = new MessagingService(
    db,
    selections,
    bulkActions,
    bulkTypes,
    () => services.channels,
    config.mail.from,
  );
  const services: AppServices = {
    channels,
    senders: new SendersService(db, secrets, channels, {
      publicUrl: config.publicUrl,
      smtpUrl: config.smtpUrl,
      emailRate: config.messaging.emailRate,
      smsRate: config.messaging.smsRate,
      mailFrom: config.mail.from,
    }),
    catalog: new CatalogService(db, clock, notifier),
    contacts: new ContactsService(db, clock, selections),
    selections,
    smartLists: new SmartListsService(db, clock, selections),
    bulkActions,
    bulkTypes,
    contactBulk: new ContactBulkService(db, selections, bulkActions),
    bulkReports: new BulkReportsService(db, bulkTypes),
    bulkRunner,
    bulkPurge: async () => {
      await purgeIdempotencyKeys(db, clock);
      await purgeProviderEvents(
        db,
        new Date(clock.now().getTime() - PROVIDER_EVENT_RETENTION_DAYS * 86_400_000),
      );
      return purgeExpiredDeletes(db, clock);
    },
    access,
    accounts: new AccountsService(db),
    auth: new AuthService(db, clock, config),
    users: new UsersService(db, clock, access),
    invitations: new InvitationsService(db, clock, access, transport, {
      publicUrl: config.publicUrl,
      from: config.mail.from,
    }),
    notifier,
    notifications: new NotificationsService(db, clock, access, bulkTypes),
    notificationMailer,
    deliveryKinds,
    deliveries: new DeliveryDispatcher(db, deliveryKinds, { concurrency: DELIVERY_CONCURRENCY }),
    notificationPurge: () => purgeOldNotifications(db, clock, config.notifications.retentionDays),
    secrets,
    config,
    imports,
    importMappings: new ImportMappingsService(db, clock),
    importSources,
    templates: new TemplatesService(db, clock, selections, config.publicUrl),
    importSourceRunner: new ImportSourceRunner(
      db,
      clock,
      jobs,
      access,
      notifier,
      importSources,
      imports,
      config.imports.dir,
      { attempts: 3, baseMs: config.imports.retryBaseMs },
    ),
    deliverability,
    hooks: new HooksService(db, clock, secrets, deliverability, config.publicUrl),
    messaging: messagingService,
    mailings: new MailingsService(
      db,
      clock,
      selections,
      bulkActions,
      new MailingSends(
        db,
        clock,
        selections,
        bulkActions,
        messagingService,
        access,
        notifier,
        config.mailings.preflightMs,
      ),
    ),
    tracking: new TrackingService(db, clock, secrets),
    mailingStats: new MailingStatsService(db, bulkTypes),
    substitutes: new SubstitutesService(db, clock),
    substitutesCsv: new SubstitutesCsv(db, clock),
    distribution: new DistributionService(db, clock, jobs),
    distributionRunner: new DistributionRunner(db, clock, access, notifier),
  };
  return services;
}
