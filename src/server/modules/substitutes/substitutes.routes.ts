// Substitutes of the source account (`:accountId`, right distribution.manage there): list, register,
// delete, bulk delete, CSV export and import, candidates in a target; and the account's own
// accepted kinds of distributed elements (right settings.manage).
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  acceptedKindsSchema,
  bulkDeleteSubstitutesBodySchema,
  candidateListSchema,
  candidatesQuerySchema,
  listSubstitutesQuerySchema,
  putSubstituteBodySchema,
  substituteImportResultSchema,
  substitutePageSchema,
  substituteParamsSchema,
  substituteSchema,
} from '../../../shared/distribution.ts';
import { AppError } from '../../errors.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';
import { exportSubstitutesQuerySchema } from './substitutes-csv.ts';

const tags = ['substitutes'];
const manage = { right: 'distribution.manage' } as const;
/** An import file's size limit (a CSV of MAX_IMPORT_ROWS rows with long names fits). */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

export const substituteRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const substitutes = services.substitutes;
    const a = '/api/accounts/:accountId';
    const base = `${a}/substitutes`;
    /** The account of the route: the source of the substitutes. */
    const source = (request: FastifyRequest) => accountOf(request).accountId;

    // This plugin only: an import's body is the CSV text.
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_r, body, done) => done(null, String(body)),
    );

    app.get(
      base,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'The substitutes registered for this account’s elements in its descendants (filter by target, kind, source element, either name); a keyset page',
          params: accountParamsSchema,
          querystring: listSubstitutesQuerySchema,
          response: { 200: substitutePageSchema },
        },
      },
      async (request) => substitutes.list(source(request), request.query),
    );

    app.put(
      base,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Register (or re-point) the substitute for one element of this account in a descendant: 400 DISTRIBUTION_TARGET_INVALID, or SUBSTITUTE_INVALID (details.reason source_unknown, not_in_target, wrong_kind)',
          params: accountParamsSchema,
          body: putSubstituteBodySchema,
          response: { 200: substituteSchema },
        },
      },
      async (request) => substitutes.put(source(request), principalOf(request).userId, request.body),
    );

    app.delete(
      `${base}/:substituteId`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Delete a substitute',
          params: substituteParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await substitutes.remove(source(request), Number(request.params.substituteId));
        return reply.status(204).send(null);
      },
    );

    app.post(
      `${base}/bulk-delete`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Delete several substitutes by id (ids that are not this account’s are ignored)',
          params: accountParamsSchema,
          body: bulkDeleteSubstitutesBodySchema,
          response: { 200: z.object({ deleted: z.number().int() }) },
        },
      },
      async (request) => substitutes.bulkDelete(source(request), request.body.ids),
    );

    app.get(
      `${base}/export.csv`,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'The substitutes as CSV: target_account_id, target_account_name, kind, source_id, source_name, substitute_id, substitute_name; filtered like the list (target, kind, source element, part of either name)',
          params: accountParamsSchema,
          querystring: exportSubstitutesQuerySchema,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV') },
        },
      },
      async (request, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="substitutes.csv"')
          .send(
            Readable.from(
              services.substitutesCsv.export(source(request), request.query),
            ) as unknown as string, // a stream: Fastify pipes it, no serialisation
          ),
    );

    app.post(
      `${base}/import`,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Import substitutes from CSV (text/csv): by ids or names; valid rows are applied, the others answered with line and reason; missing columns are 400 IMPORT_FILE_INVALID',
          params: accountParamsSchema,
          consumes: ['text/csv'],
          body: z.string().max(IMPORT_BODY_LIMIT),
          response: { 200: substituteImportResultSchema },
        },
      },
      async (request) => {
        if (typeof request.body !== 'string')
          throw new AppError('IMPORT_FILE_INVALID', 'Send the CSV as text/csv', { reason: 'no_header' });
        return services.substitutesCsv.import(source(request), principalOf(request).userId, request.body);
      },
    );

    app.get(
      `${base}/candidates`,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Elements of a kind in a descendant, for the substitute picker: at most 100, the one named exactly like the search first',
          params: accountParamsSchema,
          querystring: candidatesQuerySchema,
          response: { 200: candidateListSchema },
        },
      },
      async (request) => substitutes.candidates(source(request), request.query),
    );

    app.get(
      `${a}/distribution/accepted-kinds`,
      {
        config: { right: 'settings.manage' },
        schema: {
          tags,
          summary: 'Which kinds of distributed elements this account accepts (no setting: all)',
          params: accountParamsSchema,
          response: { 200: acceptedKindsSchema },
        },
      },
      async (request) => substitutes.acceptedKinds(source(request)),
    );

    app.put(
      `${a}/distribution/accepted-kinds`,
      {
        config: { right: 'settings.manage' },
        schema: {
          tags,
          summary:
            'Set which kinds of distributed elements this account accepts (a distribution of another kind fails here with kind_not_allowed)',
          params: accountParamsSchema,
          body: acceptedKindsSchema,
          response: { 200: acceptedKindsSchema },
        },
      },
      async (request) =>
        substitutes.saveAcceptedKinds(source(request), principalOf(request).userId, request.body),
    );
  };
