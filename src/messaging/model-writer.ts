/**
 * The optional language-model writer: one call to an OpenAI-compatible chat-completions endpoint
 * (`POST {url}/chat/completions`) that rewords a rendered reminder. It only words; whether the result
 * may be sent (same facts, compliance gate) is decided by write-message.ts, and every failure here is
 * a value, never a throw, so the caller can fall back to the template.
 */
export interface ModelWriterConfig {
  /** Base URL of the API, e.g. https://api.example.com/v1 (the path /chat/completions is appended). */
  url: string;
  model: string;
  apiKey?: string | undefined;
}

export interface RewriteRequest {
  text: string;
  locale: string;
  /** The template variant's tone (neutral, friendly, firm), which the rewrite keeps. */
  tone: string;
  /** Strings that must appear in the rewrite exactly as given (amounts, dates, links). */
  facts: readonly string[];
}

export type RewriteResult = { ok: true; text: string } | { ok: false; reason: string };

export interface ModelWriter {
  rewrite(request: RewriteRequest, signal: AbortSignal): Promise<RewriteResult>;
}

function instructions(request: RewriteRequest): string {
  const language = request.locale === 'zh-CN' ? 'Simplified Chinese' : 'English';
  return [
    `You reword payment reminders in ${language}, in a ${request.tone} tone, polite and truthful.`,
    'Keep the meaning and every fact. Copy each of these exactly as written, character for character:',
    ...request.facts.map((f) => `- ${f}`),
    'Add no amounts, dates, numbers, links, threats, legal or credit claims that the message does not make.',
    'Answer with the reworded message only: no quotes, no notes.',
  ].join('\n');
}

function contentOf(body: unknown): string | undefined {
  const choices = (body as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return undefined;
  const content = (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
  return typeof content === 'string' ? content : undefined;
}

/** Strips what models wrap answers in: surrounding whitespace and one pair of quotes. */
function unwrap(text: string): string {
  const trimmed = text.trim();
  const quoted = /^(["“「『])([\s\S]*)(["”」』])$/.exec(trimmed);
  return quoted ? quoted[2]!.trim() : trimmed;
}

export function createModelWriter(config: ModelWriterConfig): ModelWriter {
  const endpoint = `${config.url.replace(/\/$/, '')}/chat/completions`;
  return {
    async rewrite(request, signal) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          signal,
          headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
          body: JSON.stringify({
            model: config.model,
            temperature: 0.7,
            messages: [
              { role: 'system', content: instructions(request) },
              { role: 'user', content: request.text },
            ],
          }),
        });
      } catch (error) {
        return { ok: false, reason: signal.aborted ? 'timed out' : `request failed: ${(error as Error).message}` };
      }
      let raw: string;
      try {
        raw = await response.text();
      } catch {
        return { ok: false, reason: signal.aborted ? 'timed out' : 'response body could not be read' };
      }
      if (!response.ok) return { ok: false, reason: `endpoint answered ${response.status}` };
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return { ok: false, reason: 'endpoint answered something that is not JSON' };
      }
      const content = contentOf(body);
      if (content === undefined) return { ok: false, reason: 'no choices[0].message.content in the answer' };
      const text = unwrap(content);
      return text === '' ? { ok: false, reason: 'the answer was empty' } : { ok: true, text };
    },
  };
}
