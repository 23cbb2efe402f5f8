import { type App, createApp } from '../app.js';
import { type ConfigOverrides, loadConfig } from '../config.js';

/** Config from the environment plus the command's flags, then the app (database open and migrated). */
export async function bootApp(overrides: ConfigOverrides = {}): Promise<App> {
  return createApp(loadConfig(overrides));
}
