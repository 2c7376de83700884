// HTTP routes of imports: upload (multipart, streamed), preview, start (dry run or real, with
// Idempotency-Key), the import's figures, failed rows CSV, undo preview, and saved mappings.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import { bulkActionSchema, idempotencyHeadersSchema } from '../../../shared/bulk-actions.ts';
import {
  importMappingBodySchema,
  importMappingSchema,
  importParamsSchema,
  importSummarySchema,
  importUploadSchema,
  mappingParamsSchema,
  previewBodySchema,
  startImportBodySchema,
  uploadParamsSchema,
  uploadQuerySchema,
} from '../../../shared/imports.ts';
import { AppError } from '../../errors.ts';
import { actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';
import type { Actor } from '../../jobs/types.ts';

const tags = ['imports'];
const imports = { right: 'contacts.import' } as const;

export const importRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const service = services.imports;
    const mappings = services.importMappings;
    const base = '/api/accounts/:accountId/imports';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const id = (request: FastifyRequest, key: string) =>
      Number((request.params as Record<string, string>)[key]);

    await app.register(multipart, {
      limits: { files: 1, fields: 10, fileSize: services.config.imports.maxBytes, parts: 12 },
    });

    app.post(
      `${base}/uploads`,
      {
        config: imports,
        schema: {
          tags,
          summary:
            'Upload a CSV file (multipart/form-data, field `file`): detected settings, header, preview, suggested mapping',
          consumes: ['multipart/form-data'],
          params: accountParamsSchema,
          querystring: uploadQuerySchema,
          response: { 201: importUploadSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart())
          throw new AppError('BAD_REQUEST', 'Send the file as multipart/form-data in the field "file"');
        const file = await request.file();
        if (!file || file.fieldname !== 'file')
          throw new AppError('BAD_REQUEST', 'No file in the field "file"');
        const upload = await service.upload(
          await actorOf(request),
          { stream: file.file, fileName: file.filename },
          request.query,
        );
        if (file.file.truncated)
          throw new AppError(
            'IMPORT_FILE_TOO_LARGE',
            `Files are limited to ${services.config.imports.maxBytes} bytes`,
          );
        return reply.status(201).send(upload);
      },
    );

    app.get(
      `${base}/uploads/:uploadId`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'An upload with its preview',
          params: uploadParamsSchema,
          response: { 200: importUploadSchema },
        },
      },
      async (request) => service.preview(await actorOf(request), id(request, 'uploadId'), {}),
    );

    app.post(
      `${base}/uploads/:uploadId/preview`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Preview an upload with other read settings and/or a mapping (cells checked under it)',
          params: uploadParamsSchema,
          body: previewBodySchema,
          response: { 200: importUploadSchema },
        },
      },
      async (request) => service.preview(await actorOf(request), id(request, 'uploadId'), request.body),
    );

    app.post(
      base,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Start an import (or its dry run) of an upload as an `import` bulk action',
          description:
            'With an `Idempotency-Key` header, a retried start answers the first answer again and creates one import.',
          params: accountParamsSchema,
          headers: idempotencyHeadersSchema,
          body: startImportBodySchema,
          response: { 201: bulkActionSchema },
        },
      },
      async (request, reply) => {
        const actor = await actorOf(request);
        const key = (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
        const answer = await services.bulkActions.once(
          actor,
          key,
          { scope: 'import', body: request.body },
          () => service.start(actor, request.body),
        );
        return reply
          .status(answer.statusCode as 201)
          .header('idempotent-replayed', String(answer.replayed))
          .send(answer.action);
      },
    );

    app.get(
      `${base}/:actionId`,
      {
        config: imports,
        schema: {
          tags,
          summary: "An import's row figures",
          params: importParamsSchema,
          response: { 200: importSummarySchema },
        },
      },
      async (request) => service.summary(await actorOf(request), id(request, 'actionId')),
    );

    app.get(
      `${base}/:actionId/failed-rows.csv`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'The failed rows in the file’s own columns (UTF-8 CSV), to fix and upload again',
          params: importParamsSchema,
          response: { 200: z.string() },
        },
      },
      async (request, reply) => {
        const rowsCsv = service.failedRowsCsv(await actorOf(request), id(request, 'actionId'));
        const first = await rowsCsv.next(); // errors (404) before the headers are sent
        async function* all() {
          if (!first.done) yield first.value;
          yield* rowsCsv;
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="import-${id(request, 'actionId')}-failed-rows.csv"`,
          )
          .send(Readable.from(all()) as unknown as string);
      },
    );

    app.get(
      `${base}/:actionId/undo-preview`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'What "Undo import" would delete (the contacts it created, still live) and what it leaves',
          params: importParamsSchema,
          response: {
            200: z.object({
              willDelete: z.number().int(),
              notTouched: z.object({ updated: z.number().int(), alreadyDeleted: z.number().int() }),
            }),
          },
        },
      },
      async (request) => service.undoPreview(await actorOf(request), id(request, 'actionId')),
    );

    app.get(
      `${base}/mappings`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Saved mappings',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(importMappingSchema) }) },
        },
      },
      async (request) => ({ items: await mappings.list(await actorOf(request)) }),
    );
    app.post(
      `${base}/mappings`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Save a mapping under a name',
          params: accountParamsSchema,
          body: importMappingBodySchema,
          response: { 201: importMappingSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await mappings.create(await actorOf(request), request.body)),
    );
    app.get(
      `${base}/mappings/:mappingId`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'A saved mapping',
          params: mappingParamsSchema,
          response: { 200: importMappingSchema },
        },
      },
      async (request) => mappings.get(await actorOf(request), id(request, 'mappingId')),
    );
    app.put(
      `${base}/mappings/:mappingId`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Replace a saved mapping',
          params: mappingParamsSchema,
          body: importMappingBodySchema,
          response: { 200: importMappingSchema },
        },
      },
      async (request) => mappings.update(await actorOf(request), id(request, 'mappingId'), request.body),
    );
    app.delete(
      `${base}/mappings/:mappingId`,
      {
        config: imports,
        schema: {
          tags,
          summary: 'Delete a saved mapping (409 while sources use it)',
          params: mappingParamsSchema,
        },
      },
      async (request, reply) => {
        await mappings.remove(await actorOf(request), id(request, 'mappingId'));
        return reply.status(204).send();
      },
    );
  };
