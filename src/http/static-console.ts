import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { packageRoot } from '../core/package-root.js';
import { ALL_ROLES } from './auth.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Where `vite build web` writes (see web/vite.config.ts); built by `npm install` through `prepare`. */
export function consoleDirectory(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** A file under the console's folder, or undefined: a path that climbs out of it is never read. */
export async function findFile(root: string, requested: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requested);
  } catch {
    return undefined;
  }
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? path : undefined;
}

export async function sendFile(reply: FastifyReply, path: string, immutable: boolean): Promise<FastifyReply> {
  // Vite puts a content hash in every asset's name, so those may be cached for good; index.html never.
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
  return reply.send(await readFile(path));
}

/**
 * The console: a single-page app under /console/ (any unknown path gets index.html, so a reloaded
 * deep link still opens), and GET /v1/session, which tells the page who the API key belongs to.
 */
export function consoleRoutes(root = consoleDirectory()): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get('/v1/session', { schema: { tags: ['console'], summary: 'The caller\'s key: its name and role' }, config: { roles: ALL_ROLES } }, async (request) => ({
      name: request.principal!.name,
      role: request.principal!.role,
    }));

    server.get('/', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => reply.redirect('/console/'));
    server.get('/console', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => reply.redirect('/console/'));
    server.get('/console/*', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
      const rest = (request.params as { '*': string })['*'];
      const file = rest ? await findFile(root, rest.split('?')[0]!) : undefined;
      if (file) return sendFile(reply, file, rest.startsWith('assets/'));
      const index = await findFile(root, 'index.html');
      if (!index) return reply.status(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build` (or `npm install`).');
      return sendFile(reply, index, false);
    });
  };
}
