import type { CaseStage, Channel } from '../db/schema.js';
import type { MessageContent } from '../delivery/provider.js';
import type { TemplateEntry } from '../strategy/policy-checks.js';
import { layoutMessage, type LayoutInput } from './channel-layouts.js';
import { CHANNEL_FIELDS, TEMPLATE_LOCALES, type CompiledFields, type CompiledTemplate, type TemplateSet } from './template-types.js';
import { buildValues, type MessageFacts } from './template-values.js';

export interface RenderRequest extends MessageFacts {
  channel: Channel;
  stage: CaseStage;
  /** The template (or locale-bound alias) the policy chose; absent or unknown uses the channel's fallback. */
  templateId?: string | null | undefined;
  /** The variant the decisioning chose (tone, length); absent or unknown uses the template's default. */
  variant?: string | undefined;
  /** Email: the signed one-click unsubscribe link, shown in the footer and sent as List-Unsubscribe. */
  unsubscribeUrl?: string | undefined;
  /** Voice: speak slower for this customer. */
  slowSpeech?: boolean | undefined;
}

/** The field of each channel that carries the message itself: the one a language model may rewrite. */
export const MAIN_FIELD: Readonly<Record<Channel, string>> = { sms: 'text', email: 'body', push: 'body', wechat: 'first', app: 'body', voice: 'speech' };

/** A rendered message before its channel layout: the fields, so one can be rewritten and laid out again. */
export interface PreparedMessage {
  fields: Record<string, string>;
  layout: LayoutInput;
}

export interface MessageRenderer {
  render(request: RenderRequest): MessageContent;
  prepare(request: RenderRequest): PreparedMessage;
  /** Lays a prepared message out, with its main field replaced (e.g. by a checked model rewrite). */
  relayout(prepared: PreparedMessage, mainText: string, aiGenerated: boolean): MessageContent;
  /** The variant ids of a template, for the decisioning to choose among; empty for an unknown id. */
  variantsOf(templateId: string): string[];
  /** Every template and alias as the policy loader's catalogue, so policies are checked against real templates. */
  catalogue(): CatalogueEntry[];
}

/** A policy-checkable entry (a TemplateEntry with every part present). */
export type CatalogueEntry = Extract<TemplateEntry, object> & { channel: Channel; locales: string[] };

const SUPPORTED = new Set<string>(TEMPLATE_LOCALES);

export function createMessageRenderer(set: TemplateSet): MessageRenderer {
  const resolve = (request: RenderRequest): { template: CompiledTemplate; locale: string } => {
    const id = request.templateId;
    const alias = id ? set.aliases.get(id) : undefined;
    const named = alias ? set.templates.get(alias.template) : id ? set.templates.get(id) : undefined;
    // A template for another channel would lay out fields this channel does not have: use the fallback.
    const template = named && named.channel === request.channel ? named : set.templates.get(set.fallbacks.get(request.channel)!)!;
    const locale = alias && template === named ? alias.locale : SUPPORTED.has(request.locale) ? request.locale : 'en';
    return { template, locale };
  };

  const prepare = (request: RenderRequest): PreparedMessage => {
    const { template, locale } = resolve(request);
    const variant = request.variant && template.variants.has(request.variant) ? request.variant : template.defaultVariant;
    const compiled: CompiledFields = template.variants.get(variant)!.get(locale)!;
    const facts: MessageFacts = locale === request.locale ? request : { ...request, locale };
    const values = buildValues(facts);
    const fields: Record<string, string> = {};
    for (const name of CHANNEL_FIELDS[template.channel]) fields[name] = compiled[name]!(values);
    // Perf: one object per message for the layout, built once; the SMS layout adds its part count to `rendering`.
    const layout: LayoutInput = {
      channel: template.channel,
      stage: request.stage,
      locale,
      values,
      facts,
      parts: set.parts.get(locale)!,
      unsubscribeUrl: request.unsubscribeUrl,
      slowSpeech: request.slowSpeech,
      platformTemplateId: template.platformTemplateId,
      rendering: { templateId: template.id, version: template.version, variant },
    };
    return { fields, layout };
  };

  return {
    prepare,
    render: (request) => {
      const prepared = prepare(request);
      return layoutMessage(prepared.layout, prepared.fields);
    },
    relayout: (prepared, mainText, aiGenerated) => {
      const fields = { ...prepared.fields, [MAIN_FIELD[prepared.layout.channel]]: mainText };
      const layout: LayoutInput = { ...prepared.layout, aiGenerated, rendering: { ...prepared.layout.rendering } };
      const content = layoutMessage(layout, fields);
      return aiGenerated ? { ...content, aiGenerated } : content;
    },
    variantsOf: (id) => {
      const template = set.templates.get(set.aliases.get(id)?.template ?? id);
      return template ? [...template.variants.keys()] : [];
    },
    catalogue: () => [
      ...[...set.templates.values()].map((t) => ({ id: t.id, channel: t.channel, locales: [...TEMPLATE_LOCALES] })),
      ...[...set.aliases.values()].map((a) => ({ id: a.id, channel: set.templates.get(a.template)!.channel, locales: [a.locale] })),
    ].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
