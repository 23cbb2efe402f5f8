import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../src/http/static-console.js';
import { tempDir } from './support/cli.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

/** The console's files as the API process serves them, from a built folder made up for the test. */
describe('serving the console', () => {
  const built = tempDir('recoup-console-');
  const server = Fastify();

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(built, '..', 'secret.txt'), 'not for the web');
    await server.register(consoleRoutes(built));
    await server.ready();
  });
  afterAll(() => server.close());

  it('serves index.html for the console and for any deep link under it, never cached', async () => {
    for (const url of ['/console/', '/console/customers/123', '/console/dashboard?x=1']) {
      const response = await server.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const response = await server.inject({ url: '/console/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.body).toBe('console.log(1)');
  });

  it('never reads outside its folder', async () => {
    for (const url of ['/console/..%2fsecret.txt', '/console/%2e%2e/secret.txt', '/console/assets/..%2f..%2fsecret.txt', '/console/%E0%A4%A']) {
      const response = await server.inject({ url });
      expect(response.body, url).not.toContain('not for the web');
    }
  });

  it('sends / and /console to the console', async () => {
    for (const url of ['/', '/console']) {
      const response = await server.inject({ url });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/console/');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const bare = Fastify();
    await bare.register(consoleRoutes(tempDir('recoup-unbuilt-')));
    const response = await bare.inject({ url: '/console/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    await bare.close();
  });
});

describe.each(DATABASE_KINDS)('GET /v1/session on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('names the key and its role, so the console can shape its views', async () => {
    const created = await h.call('POST', '/v1/api-keys', { name: 'night analyst', role: 'analyst' });
    expect(await h.call('GET', '/v1/session', undefined, created.body.key)).toEqual({ status: 200, body: { name: 'night analyst', role: 'analyst' } });
    expect((await h.call('GET', '/v1/session', undefined, 'no-such-key')).status).toBe(401);
  });
});
