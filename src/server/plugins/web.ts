import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

export const WEB_DIST = path.resolve('dist/web');

/** Serves the built web UI and answers unknown non-API paths with index.html (client-side routing). */
export async function registerWeb(app: FastifyInstance, serveUi: boolean): Promise<void> {
  const built = serveUi && fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: 'index.html' });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      throw new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    }
    if (!built)
      return reply.status(404).type('text/plain').send('The web UI is not built: run `npm run build:web`.');
    return reply.type('text/html').sendFile('index.html');
  });
}
