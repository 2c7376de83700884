import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/types.ts';
import type { AppServices } from './services.ts';
import './plugins/fastify-types.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { loggerOptions, type LogSink } from './plugins/logging.ts';
import { registerAccountScope } from './plugins/account-scope.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerWeb } from './plugins/web.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { meRoutes } from './modules/users/me.routes.ts';
import { memberRoutes } from './modules/users/members.routes.ts';
import { invitationRoutes } from './modules/users/invitations.routes.ts';
import { accountRoutes } from './modules/accounts/accounts.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { contactRoutes } from './modules/contacts/contacts.routes.ts';
import { catalogRoutes } from './modules/contacts/catalog.routes.ts';
import { smartListRoutes } from './modules/smart-lists/smart-lists.routes.ts';
import { bulkActionRoutes } from './modules/bulk-actions/bulk-actions.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { importSourceRoutes } from './modules/imports/sources.routes.ts';
import { senderRoutes } from './modules/senders/senders.routes.ts';
import { bulkEventRoutes } from './modules/bulk-actions/bulk-events.routes.ts';
import { messagingRoutes } from './modules/messaging/messaging.routes.ts';
import { mailingStatsRoutes } from './modules/mailing-stats/mailing-stats.routes.ts';
import { mailingRoutes } from './modules/mailings/mailings.routes.ts';
import { templateRoutes } from './modules/templates/templates.routes.ts';
import { BulkEventHub } from './engine/events.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { notificationEventRoutes } from './modules/notifications/notification-events.routes.ts';
import { NotificationHub } from './modules/notifications/notification-hub.ts';
import { deliverabilityRoutes } from './modules/deliverability/deliverability.routes.ts';
import { unsubscribeRoutes } from './modules/deliverability/unsubscribe.routes.ts';
import { hookRoutes } from './modules/hooks/hooks.routes.ts';
import { trackingRoutes } from './modules/tracking/tracking.routes.ts';
import { substituteRoutes } from './modules/substitutes/substitutes.routes.ts';
import { distributionRoutes } from './modules/distribution/distribution.routes.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  services: AppServices;
  /** Serve the built web UI (off in API tests). */
  web?: boolean;
  logger?: boolean;
  /** Where the logger writes instead of stdout (tests read it). */
  logSink?: LogSink;
}

/** Fastify's types lack the hop count it accepts; this is what it makes of one. */
function trustProxyOption(
  trust: Config['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Builds the HTTP app with every plugin and module; does not listen. */
export async function buildApp({
  config,
  database,
  services,
  web = true,
  logger = true,
  logSink,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? loggerOptions(config.logLevel, logSink) : false,
    // One line per request drowns the start-up output; LOG_LEVEL=debug brings them back.
    logController: new LogController({
      disableRequestLogging: !['debug', 'trace'].includes(config.logLevel),
    }),
    // Only configured proxies may name the client's address; otherwise it is the socket's.
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 1024 * 1024,
    // Signed link tokens (unsubscribe: /u/<token>; click tracking: /t/c/<token>, which carries the
    // target URL of up to 2,048 characters) are longer than Fastify's default of 100.
    routerOptions: { maxParamLength: 4096 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // First, so that its onRequest hook sets the headers before any other hook can fail the request.
  await registerSecurityHeaders(app, { https: config.session.secureCookie });
  await app.register(cookie);
  await registerOpenApi(app);
  registerAuth(app, services.auth, { publicUrl: config.publicUrl });
  app.decorate('accountScopedRoutes', registerAccountScope(app, services.access));

  const cookieOptions = {
    secure: config.session.secureCookie,
    maxAgeSeconds: Math.floor(config.session.maxMs / 1000),
  };
  await app.register(healthRoutes(database.db));
  await app.register(authRoutes(services, cookieOptions));
  await app.register(meRoutes(services));
  await app.register(accountRoutes(services));
  await app.register(memberRoutes(services));
  await app.register(invitationRoutes(services));
  await app.register(contactRoutes(services));
  await app.register(catalogRoutes(services));
  await app.register(importRoutes(services));
  await app.register(importSourceRoutes(services));
  await app.register(senderRoutes(services));
  await app.register(smartListRoutes(services));
  await app.register(bulkActionRoutes(services));
  await app.register(messagingRoutes(services));
  await app.register(mailingStatsRoutes(services));
  await app.register(mailingRoutes(services));
  await app.register(templateRoutes(services));
  const bulkEvents = new BulkEventHub(database);
  app.addHook('onClose', () => bulkEvents.close());
  await app.register(bulkEventRoutes(services, bulkEvents));
  await app.register(notificationRoutes(services));
  const notificationHub = new NotificationHub(database);
  app.addHook('onClose', () => notificationHub.close());
  await app.register(notificationEventRoutes(services, notificationHub));
  await app.register(deliverabilityRoutes(services));
  await app.register(hookRoutes(services));
  await app.register(unsubscribeRoutes(services));
  await app.register(trackingRoutes(services));
  await app.register(substituteRoutes(services));
  await app.register(distributionRoutes(services));

  await registerWeb(app, web);
  return app;
}
