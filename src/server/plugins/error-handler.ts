import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';
import { clientValueError } from '../db/pg-errors.ts';
import type { ErrorBody, ErrorCode } from '../../shared/errors.ts';

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * The one error handler: AppErrors keep their code; validation and database errors caused by a
 * client's value become 400; anything else is a hidden 500.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'RATE_LIMITED') {
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) void reply.header('retry-after', String(retry));
      }
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => ({
        field: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send(body('VALIDATION_FAILED', 'The request is not valid', { fields }));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      return reply.status(500).send(body('INTERNAL', 'Internal error'));
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.status(429).send(body('RATE_LIMITED', 'Too many requests'));
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      return reply
        .status(status === 404 ? 404 : 400)
        .send(body(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', error.message));
    }
    if (clientValueError(error)) {
      // Should have been refused by the route schema: logged so the schema can be fixed.
      request.log.warn({ err: error }, 'a request value reached the database unchecked');
      return reply.status(400).send(body('BAD_REQUEST', 'A value in the request is not valid'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', 'Internal error'));
  });
}
