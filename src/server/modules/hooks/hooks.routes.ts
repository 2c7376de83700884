// Public webhooks and provider callbacks under /api/hooks/<token>/…: no session; the token names
// the account, and each route checks its caller's signature before the body is validated or
// anything is read, so a bad signature is a 401 that changed nothing.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { MAX_DSN_BYTES } from '../../adapters/dsn-parser.ts';
import {
  emailEventsBodySchema,
  emailEventsResultSchema,
  hookParamsSchema,
  hookResultSchema,
  providerFieldsSchema,
  smsCallbackQuerySchema,
} from '../../../shared/deliverability.ts';
import type { AppServices } from '../../services.ts';
import type { HookAccount } from './hooks.repo.ts';
import type { ProviderFields } from './hooks.service.ts';

const tags = ['webhooks'];
const config = { public: true, webhook: true } as const;
const security: Record<string, string[]>[] = [];

/** Raw bodies as received (signatures are over the exact bytes) and the account each request resolved to. */
const rawBodies = new WeakMap<FastifyRequest, string>();
const accounts = new WeakMap<FastifyRequest, HookAccount>();

function accountOf(request: FastifyRequest): HookAccount {
  const account = accounts.get(request);
  if (!account) throw new Error('hook route without its account');
  return account;
}

/** A provider's body as flat string fields (forms are strings already; JSON numbers become text). */
function fieldsOf(body: unknown): ProviderFields {
  const fields: ProviderFields = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fields;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = String(value);
  }
  return fields;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const hookRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const hooks = services.hooks;
    // In this plugin only: JSON and forms are kept raw beside the parsed body; bounce messages are
    // taken as bytes (latin1 text keeps every byte).
    app.removeContentTypeParser(['application/json']);
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      rawBodies.set(request, text);
      try {
        done(null, text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        done(new AppError('BAD_REQUEST', 'The body is not valid JSON'), undefined);
      }
    });
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (request, body, done) => {
        const text = String(body);
        rawBodies.set(request, text);
        done(null, Object.fromEntries(new URLSearchParams(text)));
      },
    );
    app.addContentTypeParser(
      ['message/rfc822', 'text/plain', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_DSN_BYTES },
      (_request, body, done) => done(null, (body as Buffer).toString('latin1')),
    );

    /** Resolves the token's account before validation; `check` proves the caller (401 otherwise). */
    const guard =
      (check: (account: HookAccount, request: FastifyRequest) => void) => async (request: FastifyRequest) => {
        const { token } = request.params as { token?: unknown };
        const parsed = hookParamsSchema.safeParse({ token });
        if (!parsed.success) throw new AppError('NOT_FOUND', 'Unknown webhook');
        const account = await hooks.account(parsed.data.token);
        check(account, request);
        accounts.set(request, account);
      };
    const twilioGuard = guard((account, request) =>
      hooks.checkTwilio(account, header(request, 'x-twilio-signature'), request.url, fieldsOf(request.body)),
    );
    const vonageGuard = guard((account, request) => hooks.checkVonage(account, fieldsOf(request.body)));
    const ledgerIdOf = (request: FastifyRequest) => {
      const m = (request.query as { m?: string }).m;
      return m === undefined ? null : Number(m);
    };

    app.post(
      '/api/hooks/:token/email/events',
      {
        config,
        preValidation: guard((account, request) =>
          hooks.checkHeraldSignature(
            account,
            header(request, 'x-herald-signature'),
            rawBodies.get(request) ?? '',
          ),
        ),
        schema: {
          tags,
          security,
          summary: 'Email provider events (delivered, bounce, complaint), signed with X-Herald-Signature',
          description:
            'A JSON array of `{id, type: delivered|bounce|complaint, messageId, bounceType: hard|soft, reason, timestamp}`. ' +
            'Header `X-Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, "<t>.<raw body>")>`, ' +
            'at most 5 minutes off. Events are deduplicated by id and applied monotonically; unknown messages are ignored.',
          params: hookParamsSchema,
          body: emailEventsBodySchema,
          response: { 200: emailEventsResultSchema },
        },
      },
      async (request) => hooks.emailEvents(accountOf(request), request.body),
    );

    app.post(
      '/api/hooks/:token/sms/twilio/status',
      {
        config,
        preValidation: twilioGuard,
        schema: {
          tags,
          security,
          summary: 'Twilio status callback (form; X-Twilio-Signature); `m` names the ledger row',
          params: hookParamsSchema,
          querystring: smsCallbackQuerySchema,
          body: providerFieldsSchema,
          response: { 200: hookResultSchema },
        },
      },
      async (request) => ({
        result: await hooks.twilioStatus(accountOf(request), ledgerIdOf(request), fieldsOf(request.body)),
      }),
    );

    app.post(
      '/api/hooks/:token/sms/vonage/status',
      {
        config,
        preValidation: vonageGuard,
        schema: {
          tags,
          security,
          summary: 'Vonage delivery receipt (JSON or form, signed with `sig`); `m` names the ledger row',
          params: hookParamsSchema,
          querystring: smsCallbackQuerySchema,
          body: providerFieldsSchema,
          response: { 200: hookResultSchema },
        },
      },
      async (request) => ({
        result: await hooks.vonageStatus(accountOf(request), ledgerIdOf(request), fieldsOf(request.body)),
      }),
    );

    app.post(
      '/api/hooks/:token/sms/twilio/inbound',
      {
        config,
        preValidation: twilioGuard,
        schema: {
          tags,
          security,
          summary:
            'Twilio inbound SMS: STOP, STOPP, ABMELDEN … opt the sender out of SMS (answers empty TwiML)',
          params: hookParamsSchema,
          body: providerFieldsSchema,
          response: { 200: z.string() },
        },
      },
      async (request, reply: FastifyReply) => {
        const fields = fieldsOf(request.body);
        await hooks.inboundSms(accountOf(request), fields.From, fields.Body);
        return reply.type('text/xml; charset=utf-8').send(TWIML_EMPTY);
      },
    );

    app.post(
      '/api/hooks/:token/sms/vonage/inbound',
      {
        config,
        preValidation: vonageGuard,
        schema: {
          tags,
          security,
          summary: 'Vonage inbound SMS: STOP, STOPP, ABMELDEN … opt the sender out of SMS',
          params: hookParamsSchema,
          body: providerFieldsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const fields = fieldsOf(request.body);
        await hooks.inboundSms(accountOf(request), fields.msisdn, fields.text);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/hooks/:token/bounces',
      {
        config,
        preValidation: guard((account, request) =>
          hooks.checkBearer(account, header(request, 'authorization')),
        ),
        schema: {
          tags,
          security: [{ bearer: [] }],
          summary:
            'A raw bounce message (RFC 5322 with an RFC 3464 DSN); Authorization: Bearer <webhook secret>',
          description:
            'Content-Type message/rfc822 (or text/plain). The bounced message is found by the Message-ID of the ' +
            'returned message; 5.x.x is a hard bounce, 4.x.x a soft one. Anything else is ignored with 200.',
          params: hookParamsSchema,
          body: z.string().max(MAX_DSN_BYTES),
          response: { 200: hookResultSchema.extend({ recipients: z.number().int() }) },
        },
      },
      async (request) => hooks.bounce(accountOf(request), Buffer.from(request.body, 'latin1')),
    );
  };
