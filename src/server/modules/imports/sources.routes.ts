// HTTP routes of scheduled import sources and the account's PGP key (right: settings.manage).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  connectionTestSchema,
  createImportSourceBodySchema,
  generatePgpKeyBodySchema,
  importRunSchema,
  importSourceSchema,
  pgpKeySchema,
  sourceParamsSchema,
  updateImportSourceBodySchema,
  uploadPgpKeyBodySchema,
} from '../../../shared/import-sources.ts';
import { actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';
import type { Actor } from '../../jobs/types.ts';

const tags = ['import sources'];
const settings = { right: 'settings.manage' } as const;

export const importSourceRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const sources = services.importSources;
    const base = '/api/accounts/:accountId/imports/sources';
    const keyBase = '/api/accounts/:accountId/imports/pgp-key';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const sourceId = (request: FastifyRequest) => Number((request.params as { sourceId: string }).sourceId);

    app.get(
      base,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Import sources with their last run',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(importSourceSchema) }) },
        },
      },
      async (request) => ({ items: await sources.list(await actorOf(request)) }),
    );
    app.post(
      base,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Create an import source (password, key and passphrase are write-only, sealed at rest)',
          params: accountParamsSchema,
          body: createImportSourceBodySchema,
          response: { 201: importSourceSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await sources.create(await actorOf(request), request.body)),
    );
    app.get(
      `${base}/:sourceId`,
      {
        config: settings,
        schema: {
          tags,
          summary: 'An import source',
          params: sourceParamsSchema,
          response: { 200: importSourceSchema },
        },
      },
      async (request) => sources.get(await actorOf(request), sourceId(request)),
    );
    app.patch(
      `${base}/:sourceId`,
      {
        config: settings,
        schema: {
          tags,
          summary:
            'Change an import source (secrets left out stay; scheduled runs then import as the caller)',
          params: sourceParamsSchema,
          body: updateImportSourceBodySchema,
          response: { 200: importSourceSchema },
        },
      },
      async (request) => sources.update(await actorOf(request), sourceId(request), request.body),
    );
    app.delete(
      `${base}/:sourceId`,
      { config: settings, schema: { tags, summary: 'Delete an import source', params: sourceParamsSchema } },
      async (request, reply) => {
        await sources.remove(await actorOf(request), sourceId(request));
        return reply.status(204).send();
      },
    );
    app.post(
      `${base}/:sourceId/test`,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Test connection: resolve, connect, TLS/SSH, log in, list the folder, matching files',
          params: sourceParamsSchema,
          response: { 200: connectionTestSchema },
        },
      },
      async (request) => sources.test(await actorOf(request), sourceId(request)),
    );
    app.post(
      `${base}/:sourceId/run`,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Run now (also needs contacts.import): answers the queued run',
          params: sourceParamsSchema,
          response: { 202: importRunSchema },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await sources.runNow(await actorOf(request), sourceId(request))),
    );
    app.get(
      `${base}/:sourceId/runs`,
      {
        config: settings,
        schema: {
          tags,
          summary: "A source's runs, newest first",
          params: sourceParamsSchema,
          response: { 200: z.object({ items: z.array(importRunSchema) }) },
        },
      },
      async (request) => ({ items: await sources.runs(await actorOf(request), sourceId(request)) }),
    );

    app.get(
      keyBase,
      {
        config: settings,
        schema: {
          tags,
          summary: "The account's PGP key for import files: public key and fingerprint (404 when none)",
          params: accountParamsSchema,
          response: { 200: pgpKeySchema },
        },
      },
      async (request) => sources.pgpKey(await actorOf(request)),
    );
    app.post(
      `${keyBase}/generate`,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Generate a new key pair (replaces the current one)',
          params: accountParamsSchema,
          body: generatePgpKeyBodySchema,
          response: { 201: pgpKeySchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await sources.generatePgpKey(await actorOf(request), request.body)),
    );
    app.put(
      keyBase,
      {
        config: settings,
        schema: {
          tags,
          summary: 'Use an existing private key (armored) with its passphrase',
          params: accountParamsSchema,
          body: uploadPgpKeyBodySchema,
          response: { 200: pgpKeySchema },
        },
      },
      async (request) => sources.uploadPgpKey(await actorOf(request), request.body),
    );
    app.delete(
      keyBase,
      { config: settings, schema: { tags, summary: 'Delete the key pair', params: accountParamsSchema } },
      async (request, reply) => {
        await sources.deletePgpKey(await actorOf(request));
        return reply.status(204).send();
      },
    );
  };
