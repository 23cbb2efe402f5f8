import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { fail, invalid, ok, type FieldError, type Result } from '../core/errors.js';
import type { Channel } from '../db/schema.js';
import { compileText, TemplateSyntaxError } from './template-syntax.js';
import { CHANNEL_FIELDS, LOCALE_PARTS, TEMPLATE_LOCALES, type CompiledFields, type CompiledTemplate, type LocaleParts, type TemplateAlias, type TemplateLocale, type TemplateSet } from './template-types.js';
import { VOCABULARY } from './template-values.js';

/**
 * Reads the template folder: `locales.yaml` (the fixed wording per locale) and one YAML file per
 * channel. Everything is checked and compiled at once; any error refuses the whole set, each error
 * naming the file, its line, the path inside it and the reason, so nothing half-loaded ever renders.
 */

type Located = FieldError & { file: string };
const ID = /^[a-z0-9][a-z0-9-]*$/;
const CHANNELS = Object.keys(CHANNEL_FIELDS) as Channel[];
const LOCALE_FILE = 'locales.yaml';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseYaml(text: string, file: string, errors: Located[]): { value: unknown; doc: Document; lines: LineCounter } | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    errors.push({ file, field: '(document)', reason: `not valid YAML at line ${pos.line}, column ${pos.col}: ${first.message.split('\n')[0]}` });
    return undefined;
  }
  return { value: doc.toJS(), doc, lines };
}

class FileChecker {
  constructor(
    readonly file: string,
    readonly errors: Located[],
  ) {}
  error(field: string, reason: string): void {
    this.errors.push({ file: this.file, field, reason });
  }
  record(value: unknown, field: string): Record<string, unknown> | undefined {
    if (isRecord(value)) return value;
    this.error(field, value === undefined ? 'is missing' : 'must be a mapping');
    return undefined;
  }
}

function compileFields(check: FileChecker, channel: Channel, value: unknown, path: string): CompiledFields | undefined {
  const doc = check.record(value, path);
  if (!doc) return undefined;
  const fields: Record<string, (v: Readonly<Record<string, string | undefined>>) => string> = {};
  const wanted = CHANNEL_FIELDS[channel];
  for (const key of Object.keys(doc)) if (!wanted.includes(key)) check.error(`${path}.${key}`, `unknown field for ${channel} (fields: ${wanted.join(', ')})`);
  for (const key of wanted) {
    const source = doc[key];
    if (typeof source !== 'string') {
      check.error(`${path}.${key}`, source === undefined ? `is missing (${channel} templates write ${wanted.join(', ')})` : 'must be text');
      continue;
    }
    try {
      fields[key] = compileText(source, VOCABULARY);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      check.error(`${path}.${key}`, `${error.reason} (column ${error.column})`);
    }
  }
  return fields;
}

function compileTemplate(check: FileChecker, channel: Channel, id: string, value: unknown): CompiledTemplate | undefined {
  const path = `templates.${id}`;
  const doc = check.record(value, path);
  if (!doc) return undefined;
  if (!ID.test(id)) check.error(path, 'a template id is lower-case letters, digits and dashes');
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) check.error(`${path}.version`, 'must be a whole number from 1 (bump it whenever the wording changes)');
  const variantsDoc = check.record(doc.variants, `${path}.variants`) ?? {};
  const variants = new Map<string, Map<string, CompiledFields>>();
  for (const [variantId, byLocale] of Object.entries(variantsDoc)) {
    const vpath = `${path}.variants.${variantId}`;
    if (!ID.test(variantId)) check.error(vpath, 'a variant id is lower-case letters, digits and dashes, e.g. friendly-short');
    const locales = check.record(byLocale, vpath) ?? {};
    for (const locale of Object.keys(locales)) {
      if (!(TEMPLATE_LOCALES as readonly string[]).includes(locale)) check.error(`${vpath}.${locale}`, `unknown locale (templates are written in ${TEMPLATE_LOCALES.join(', ')})`);
    }
    const compiled = new Map<string, CompiledFields>();
    for (const locale of TEMPLATE_LOCALES) {
      if (locales[locale] === undefined) check.error(`${vpath}.${locale}`, `missing locale ${locale}: every variant is written in ${TEMPLATE_LOCALES.join(' and ')}`);
      else {
        const fields = compileFields(check, channel, locales[locale], `${vpath}.${locale}`);
        if (fields) compiled.set(locale, fields);
      }
    }
    variants.set(variantId, compiled);
  }
  if (variants.size === 0) check.error(`${path}.variants`, 'a template needs at least one variant');
  const defaultVariant = doc.defaultVariant ?? 'neutral';
  if (typeof defaultVariant !== 'string' || !variants.has(defaultVariant)) check.error(`${path}.defaultVariant`, `${JSON.stringify(defaultVariant)} is not one of its variants (${[...variants.keys()].join(', ')})`);
  const platformTemplateId = doc.platformTemplateId;
  if (channel === 'wechat' && (typeof platformTemplateId !== 'string' || platformTemplateId === '')) check.error(`${path}.platformTemplateId`, 'a WeChat template names the template id registered with the official account');
  for (const key of Object.keys(doc)) {
    if (!['version', 'description', 'defaultVariant', 'variants', 'platformTemplateId'].includes(key)) check.error(`${path}.${key}`, 'unknown key (known: version, description, defaultVariant, variants, platformTemplateId)');
  }
  return { id, channel, version: version as number, defaultVariant: defaultVariant as string, variants, file: check.file, ...(typeof platformTemplateId === 'string' ? { platformTemplateId } : {}) };
}

interface ChannelFile {
  channel: Channel;
  templates: CompiledTemplate[];
  aliases: TemplateAlias[];
  fallback?: string;
}

function checkChannelFile(check: FileChecker, value: unknown): ChannelFile | undefined {
  const doc = check.record(value, '(document)');
  if (!doc) return undefined;
  const channel = doc.channel as Channel;
  if (!CHANNELS.includes(channel)) return void check.error('channel', `must be one of ${CHANNELS.join(', ')}`);
  const templates = Object.entries(check.record(doc.templates, 'templates') ?? {}).flatMap(([id, t]) => compileTemplate(check, channel, id, t) ?? []);
  const aliases: TemplateAlias[] = [];
  for (const [id, a] of Object.entries(isRecord(doc.aliases) ? doc.aliases : {})) {
    const alias = check.record(a, `aliases.${id}`);
    if (!alias) continue;
    if (!templates.some((t) => t.id === alias.template)) check.error(`aliases.${id}.template`, `${JSON.stringify(alias.template)} is not a template in this file`);
    if (!(TEMPLATE_LOCALES as readonly unknown[]).includes(alias.locale)) check.error(`aliases.${id}.locale`, `must be one of ${TEMPLATE_LOCALES.join(', ')}`);
    aliases.push({ id, template: String(alias.template), locale: alias.locale as TemplateLocale });
  }
  const fallback = doc.fallback ?? templates[0]?.id;
  if (fallback !== undefined && !templates.some((t) => t.id === fallback)) check.error('fallback', `${JSON.stringify(fallback)} is not a template in this file`);
  return { channel, templates, aliases, ...(typeof fallback === 'string' ? { fallback } : {}) };
}

function checkLocaleParts(check: FileChecker, value: unknown): Map<string, LocaleParts> {
  const parts = new Map<string, LocaleParts>();
  const doc = check.record(value, '(document)') ?? {};
  for (const locale of TEMPLATE_LOCALES) {
    const entry = doc[locale];
    if (!isRecord(entry)) {
      check.error(locale, `missing locale ${locale}`);
      continue;
    }
    for (const key of LOCALE_PARTS) if (typeof entry[key] !== 'string' || entry[key] === '') check.error(`${locale}.${key}`, 'is missing (non-empty text)');
    parts.set(locale, entry as LocaleParts);
  }
  return parts;
}

function refusal(errors: Located[], locators: Map<string, (field: string) => string>, dir: string) {
  const details = errors.map((e) => ({ field: `${e.file}: ${e.field}`, reason: e.reason }));
  const lines = errors.map((e) => `${locators.get(e.file)?.(e.field) ?? e.file} ${e.field}: ${e.reason}`);
  return invalid(details, `templates in ${dir} refused (${errors.length} error${errors.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`);
}

function locator(file: string, doc: Document, lines: LineCounter): (field: string) => string {
  return (field) => {
    const keys = field.split('.');
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return file;
  };
}

/** Loads and compiles every template in a folder, or refuses them all with every error located. */
export function loadTemplateDir(dir: string): Result<TemplateSet> {
  const errors: Located[] = [];
  const locators = new Map<string, (field: string) => string>();
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const read = (name: string) => {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      errors.push({ file, field: '(document)', reason: `cannot be read: ${(error as Error).message}` });
      return { file, parsed: undefined };
    }
    const parsed = parseYaml(text, file, errors);
    if (parsed) locators.set(file, locator(file, parsed.doc, parsed.lines));
    return { file, parsed };
  };
  const localeFile = read(LOCALE_FILE);
  const parts = localeFile.parsed ? checkLocaleParts(new FileChecker(localeFile.file, errors), localeFile.parsed.value) : new Map<string, LocaleParts>();
  const templates = new Map<string, CompiledTemplate>();
  const aliases = new Map<string, TemplateAlias>();
  const fallbacks = new Map<Channel, string>();
  for (const name of names.filter((n) => n !== LOCALE_FILE)) {
    const { file, parsed } = read(name);
    const check = new FileChecker(file, errors);
    const channelFile = parsed ? checkChannelFile(check, parsed.value) : undefined;
    if (!channelFile) continue;
    for (const t of channelFile.templates) {
      if (templates.has(t.id) || aliases.has(t.id)) check.error(`templates.${t.id}`, 'this id is defined twice');
      templates.set(t.id, t);
    }
    for (const a of channelFile.aliases) {
      if (templates.has(a.id) || aliases.has(a.id)) check.error(`aliases.${a.id}`, 'this id is defined twice');
      aliases.set(a.id, a);
    }
    if (channelFile.fallback && !fallbacks.has(channelFile.channel)) fallbacks.set(channelFile.channel, channelFile.fallback);
  }
  for (const channel of CHANNELS) if (!fallbacks.has(channel)) errors.push({ file: dir, field: channel, reason: `no template for channel ${channel}` });
  if (errors.length > 0) return fail(refusal(errors, locators, dir));
  return ok({ templates, aliases, fallbacks, parts });
}
