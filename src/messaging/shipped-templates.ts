import { resolve } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { createMessageRenderer, type MessageRenderer, type RenderRequest } from './render-message.js';
import { loadTemplateDir } from './template-files.js';
import type { MessageContent } from '../delivery/provider.js';
import { fromDraft, type MessageDraft } from './message-draft.js';

export const SHIPPED_TEMPLATE_DIR = 'data/templates';

/** Loads a template folder into a renderer; throws with every error's file, line and path, so boot stops. */
export function loadMessageRenderer(dir?: string): MessageRenderer {
  const loaded = loadTemplateDir(dir ? resolve(dir) : resolve(packageRoot(), SHIPPED_TEMPLATE_DIR));
  if (!loaded.ok) throw new Error(loaded.error.message);
  return createMessageRenderer(loaded.value);
}

let shipped: MessageRenderer | undefined;

/** The renderer over the templates Recoup ships, compiled on first use and kept: files are read once per process. */
export function shippedRenderer(): MessageRenderer {
  shipped ??= loadMessageRenderer();
  return shipped;
}

/** Renders a planned reminder with the shipped templates. */
export function renderMessage(request: RenderRequest): MessageContent {
  return shippedRenderer().render(request);
}

/**
 * The text a stored contact attempt says, or would say: its words once sent, or its draft (the
 * planner's, worded only at send time) rendered now as a preview, without the signed links that are
 * made at send time. Null for content with neither.
 */
export function previewText(content: Record<string, unknown>): string | null {
  if (typeof content.text === 'string') return content.text;
  const draft = content.draft as MessageDraft | null | undefined;
  if (!draft || typeof draft !== 'object') return null;
  return renderMessage(fromDraft(draft)).text;
}
