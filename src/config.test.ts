import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('fills defaults and reads the environment', () => {
    const config = loadConfig({}, { PORT: '4100', RECOUP_CLOCK: 'virtual', RECOUP_CLOCK_START: '2026-01-01T00:00:00Z', DATABASE_URL: 'postgres://x@localhost/db' });
    expect(config).toMatchObject({ port: 4100, host: '127.0.0.1', clock: { mode: 'virtual', start: '2026-01-01T00:00:00Z' }, databaseUrl: 'postgres://x@localhost/db' });
    expect(config.stages).toEqual({ preDueDays: 7, m2FromDay: 31, m3FromDay: 61, writeOffFromDay: 180 });
  });

  it('lets explicit overrides win over the environment', () => {
    expect(loadConfig({ port: 5000 }, { PORT: '4100' }).port).toBe(5000);
  });

  it('names each bad setting', () => {
    expect(() => loadConfig({}, { PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { PORT: 'http' })).toThrow(/port must be integer/);
    expect(() => loadConfig({}, { DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl/);
    expect(() => loadConfig({ stages: { m2FromDay: 90 } }, {})).toThrow(/m2FromDay < m3FromDay/);
    expect(() => loadConfig({ unknown: 1 } as never, {})).toThrow(/unknown is not a known field/);
  });

  it('checks the providers section, naming the missing setting', () => {
    expect(() => loadConfig({ providers: { sms: { provider: 'twilio', authToken: 't' } } }, {})).toThrow(/providers\.sms\.accountSid is required/);
    expect(() => loadConfig({ providers: { fax: { provider: 'sandbox' } } }, {})).toThrow(/providers\.fax is not a channel/);
    expect(loadConfig({ providers: { email: { provider: 'smtp', host: '127.0.0.1', port: 2525, from: 'r@example.com' } } }, {}).providers).toHaveProperty('email');
  });

  it('accepts the configuration example in the README as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = loadConfig(JSON.parse(example!), {});
    expect(Object.keys(config.providers)).toEqual(['sms', 'voice', 'email', 'wechat', 'push', 'app']);
  });

  it('reports a config file that cannot be read', () => {
    expect(() => loadConfig({}, { RECOUP_CONFIG: '/nonexistent/recoup.json' })).toThrow(/RECOUP_CONFIG \/nonexistent\/recoup.json/);
  });
});
