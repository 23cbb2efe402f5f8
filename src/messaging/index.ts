/** Messaging: templates per channel and locale, their variants, and the optional language-model writer. */
export { createMessageRenderer, MAIN_FIELD, type MessageRenderer, type PreparedMessage, type RenderRequest } from './render-message.js';
export { loadMessageRenderer, previewText, renderMessage, shippedRenderer, SHIPPED_TEMPLATE_DIR } from './shipped-templates.js';
export { loadTemplateDir } from './template-files.js';
export { createPayLinks, PAY_LINK_PATH, type PayLinks } from './pay-link.js';
export { measureSms, type SmsSize } from './sms-segments.js';
export { slowSpeechFor } from './speech-pace.js';
export { createModelWriter, type ModelWriter, type ModelWriterConfig } from './model-writer.js';
export { MODEL_BUDGET_MS, writeMessage, type ContentGate, type WriteDeps, type WrittenMessage } from './write-message.js';
export { scannerGate } from './scanner-gate.js';
export { fromDraft, toDraft, type MessageDraft } from './message-draft.js';
