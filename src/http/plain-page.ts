import type { FastifyReply } from 'fastify';

/**
 * The small standalone pages people reach from a link in a message: unsubscribe, the sandbox pay page,
 * an expired chat link. No script; not cached, since each answers for one link at one moment; no
 * referrer, since the link's token is in the URL. `body` is markup the caller built, escaping what it
 * took from data.
 */
const STYLE = 'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.3rem}'
  + 'button{padding:.7rem 1.2rem;font:inherit;border:0;border-radius:8px;background:#20a060;color:#fff}';

export function sendPlainPage(reply: FastifyReply, status: number, page: { title: string; body: string }): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title}</title>
<style>${STYLE}</style></head>
<body>${page.body}</body></html>`);
}
