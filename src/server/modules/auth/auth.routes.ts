import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginBodySchema, meResponseSchema } from '../../../shared/auth.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import type { AppServices } from '../../services.ts';

export const authRoutes =
  (services: AppServices, cookie: { secure: boolean; maxAgeSeconds: number }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Log in with email and password; sets the session cookie',
          body: loginBodySchema,
          response: { 200: meResponseSchema },
        },
      },
      async (request, reply) => {
        const { token, user, csrfToken } = await services.auth.login(
          request.body.email,
          request.body.password,
          request.ip,
        );
        void reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: cookie.secure,
          maxAge: cookie.maxAgeSeconds,
        });
        return {
          user: await services.users.getUser(user.id),
          accounts: await services.users.myAccounts(user.id),
          csrfToken,
        };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { public: true },
        schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.via === 'session') {
          // Logging out needs the CSRF token too, or any site could log users out.
          if (request.headers['x-csrf-token'] !== principal.csrfToken) {
            throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
          }
          await services.auth.logout(principal.sessionId);
        }
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
