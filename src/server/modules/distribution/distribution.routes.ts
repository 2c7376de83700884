// The source account's distribution routes: targets, dry run, start / retry (202, a job), history,
// per-target results, copies and rollback. Every route needs `distribution.manage` in the source
// account (`:accountId`); targets must be its descendants (400 DISTRIBUTION_TARGET_INVALID).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import { confirmDeleteQuerySchema } from '../../../shared/references.ts';
import { idempotencyHeadersSchema } from '../../../shared/bulk-actions.ts';
import {
  copyListSchema,
  copySchema,
  createDistributionBodySchema,
  distributionPageSchema,
  distributionParamsSchema,
  distributionSchema,
  distributionTargetPageSchema,
  elementParamsSchema,
  listDistributionsQuerySchema,
  listTargetsQuerySchema,
  planBodySchema,
  planSchema,
  rollbackParamsSchema,
  targetAccountListSchema,
} from '../../../shared/distribution.ts';
import { accountOf, actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { Actor } from '../../jobs/types.ts';
import type { AppServices } from '../../services.ts';

const tags = ['distribution'];
const manage = { right: 'distribution.manage' } as const;
const TARGETS_NOTE =
  'Targets must be descendants of this account: the account itself or any other is 400 ' +
  'DISTRIBUTION_TARGET_INVALID with details `{accountId, reason: self | not_descendant}`; no target ' +
  'at all is reason `none`. Nothing is written then.';

export const distributionRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const distribution = services.distribution;
    const base = '/api/accounts/:accountId';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const source = (request: FastifyRequest) => Number(accountOf(request).accountId);
    const idempotencyKey = (request: FastifyRequest) =>
      (request.headers as { 'idempotency-key'?: string })['idempotency-key'];

    app.get(
      `${base}/distribution/targets`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'The accounts below this one (for the target picker)',
          params: accountParamsSchema,
          response: { 200: targetAccountListSchema },
        },
      },
      async (request) => distribution.targets(source(request)),
    );
    app.post(
      `${base}/distribution/plan`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Dry run: what distributing the element would do in each target; writes nothing',
          description: `Per target: create, update, unchanged, locally_modified or fail (with reason and the missing substitutes, each with a suggestion). ${TARGETS_NOTE}`,
          params: accountParamsSchema,
          body: planBodySchema,
          response: { 200: planSchema },
        },
      },
      async (request) => distribution.plan(await actorOf(request), source(request), request.body),
    );
    app.post(
      `${base}/distributions`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Start a distribution or an activation change across accounts (a job)',
          description:
            `Answers 202 with the distribution; its targets run one transaction each. 409 DISTRIBUTION_BUSY while ` +
            `another distribution of the element runs. The same Idempotency-Key answers the same distribution. ${TARGETS_NOTE}`,
          params: accountParamsSchema,
          headers: idempotencyHeadersSchema,
          body: createDistributionBodySchema,
          response: { 202: distributionSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await distribution.start(
              await actorOf(request),
              source(request),
              request.body,
              idempotencyKey(request),
            ),
          ),
    );
    app.get(
      `${base}/distributions`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'History of distributions (of one element), newest first',
          params: accountParamsSchema,
          querystring: listDistributionsQuerySchema,
          response: { 200: distributionPageSchema },
        },
      },
      async (request) => distribution.list(source(request), request.query),
    );
    const one = `${base}/distributions/:distributionId`;
    const distributionId = (request: FastifyRequest) =>
      Number((request.params as { distributionId: string }).distributionId);
    app.get(
      one,
      {
        config: manage,
        schema: {
          tags,
          summary: 'One distribution with its counts per target status',
          params: distributionParamsSchema,
          response: { 200: distributionSchema },
        },
      },
      async (request) => distribution.get(source(request), distributionId(request)),
    );
    app.get(
      `${one}/targets`,
      {
        config: manage,
        schema: {
          tags,
          summary: "A distribution's per-target results (position order, filter by status)",
          params: distributionParamsSchema,
          querystring: listTargetsQuerySchema,
          response: { 200: distributionTargetPageSchema },
        },
      },
      async (request) => distribution.listTargets(source(request), distributionId(request), request.query),
    );
    app.post(
      `${one}/retry`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Retry the failed targets as a new distribution (fresh snapshot, same operation)',
          description:
            '409 CONFLICT (details.reason `nothing_failed`) when no target failed. The same Idempotency-Key ' +
            'answers the same new distribution.',
          params: distributionParamsSchema,
          headers: idempotencyHeadersSchema,
          response: { 202: distributionSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await distribution.retry(
              await actorOf(request),
              source(request),
              distributionId(request),
              idempotencyKey(request),
            ),
          ),
    );
    const element = `${base}/distribution/elements/:kind/:elementId`;
    app.get(
      `${element}/copies`,
      {
        config: manage,
        schema: {
          tags,
          summary: "The element's copies in the accounts below (activation, version, local edits, rollback)",
          params: elementParamsSchema,
          response: { 200: copyListSchema },
        },
      },
      async (request) =>
        distribution.copies(source(request), request.params.kind, Number(request.params.elementId)),
    );
    app.post(
      `${element}/targets/:targetAccountId/rollback`,
      {
        config: manage,
        schema: {
          tags,
          summary: "Roll one target's copy back to before the last distribution",
          description:
            'Restores the kept earlier content (200, the copy), or removes a copy the last distribution ' +
            'created (204). 404 when the target has no copy; 409 CONFLICT (copy_in_use) for a mailing copy ' +
            "that is no longer a draft or a template copy the target's mailings use; 409 CONFLICT " +
            '(name_conflict) when the old name is taken there since. Removing a copy keeps the delete ' +
            'guards: 409 IN_USE while an unfinished bulk action uses it; serving as a substitute and not ' +
            '?confirm=true: 409 SUBSTITUTE_IN_USE with details.usage.',
          params: rollbackParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 200: copySchema, 204: z.null().describe('The copy was removed') },
        },
      },
      async (request, reply) => {
        const copy = await distribution.rollback(
          source(request),
          request.params.kind,
          Number(request.params.elementId),
          Number(request.params.targetAccountId),
          request.query.confirm === 'true',
        );
        return copy ? copy : reply.status(204).send(null);
      },
    );
  };
