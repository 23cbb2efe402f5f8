import { parentPort, workerData } from 'node:worker_threads';
import { batchBody, receivableSpecs } from './ingest-data.js';
import { postBatch, runPool } from './ingest-peers.js';

/**
 * The API peer's client, on a thread of its own: an HTTP client in the server's own event loop
 * would bill its request writing and response parsing to the server, which a real deployment's
 * remote clients never do. The bodies are serialised before the main thread starts its clock.
 */
export interface ClientJob {
  baseUrl: string;
  apiKey: string;
  prefix: string;
  batches: Array<{ from: number; count: number }>;
  customers: number;
  concurrency: number;
}

if (parentPort) {
  const port = parentPort;
  const job = workerData as ClientJob;
  const bodies = job.batches.map((b) => ({ count: b.count, body: batchBody(receivableSpecs(job.prefix, b.from, b.count, job.customers)) }));
  port.once('message', () => {
    runPool(bodies, job.concurrency, (b) => postBatch(job.baseUrl, job.apiKey, b.body, b.count)).then(
      () => port.postMessage({ done: true }),
      (error: Error) => port.postMessage({ error: error.message }),
    );
  });
  port.postMessage({ ready: true });
}
