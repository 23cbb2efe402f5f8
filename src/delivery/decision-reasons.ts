import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';

/**
 * A learning decision's reasons ("uplift +15.0% on 48.71", "chosen in 38% of posterior draws", ...)
 * are made once per situation and shared by the debtors in it. Each distinct list is stored once in
 * decision_reasons, and an attempt's decision holds its id (`decisioning.reasonsId`) in its place;
 * reads put the list back. Stored in full, the lists were a fifth of each planned row: at a million
 * cases a row averaged 1,379 bytes with them and 1,114 without (bench/dispatch's database). Planning
 * time did not change measurably; the table and its write-ahead log are that much smaller.
 */

/** Reason lists by id. */
export type ReasonLists = Map<string, readonly string[]>;

// The id is derived from the text, so any process names a list alike and a second write of it is a
// no-op. Hashing is paid once per distinct list: planning a million cases met about 27,000, so that
// many are kept (about 10 MB at a few hundred characters each).
const IDS = new Map<string, string>();
const IDS_KEPT = 30_000;

// Lists shared by many decisions (live-decisioning.ts), by identity: no text to join and look up.
const IDS_BY_LIST = new WeakMap<readonly string[], string>();

export function reasonsId(reasons: readonly string[]): string {
  const known = IDS_BY_LIST.get(reasons);
  if (known !== undefined) return known;
  const id = reasonsIdOfText(reasons.join('\n'));
  IDS_BY_LIST.set(reasons, id);
  return id;
}

function reasonsIdOfText(text: string): string {
  let id = IDS.get(text);
  if (id === undefined) {
    if (IDS.size >= IDS_KEPT) IDS.clear();
    IDS.set(text, (id = createHash('sha256').update(text).digest('base64url').slice(0, 22)));
  }
  return id;
}

/**
 * Replaces the `decisioning.reasons` of a decision record by their id, and adds the list to `lists`.
 * A record without them is left as it is.
 */
export function internReasons(record: Record<string, unknown>, lists: ReasonLists): void {
  const decisioning = record.decisioning as Record<string, unknown> | undefined;
  const reasons = decisioning?.reasons;
  if (!decisioning || !Array.isArray(reasons)) return;
  const id = reasonsId(reasons as string[]);
  lists.set(id, reasons as string[]);
  // Undefined rather than deleted: JSON leaves it out the same, and the object keeps its fast shape.
  decisioning.reasons = undefined;
  decisioning.reasonsId = id;
}

/**
 * The insert of reason lists; one stored already is skipped. In id order: two pages in flight may
 * both carry lists neither has stored yet, and inserting the same keys in different orders, each
 * would wait for the other's uncommitted row (a deadlock, seen in bench/dispatch).
 */
export function insertReasonLists(lists: ReasonLists): RawBuilder<unknown> {
  const rows = [...lists].map(([id, reasons]) => ({ id, reasons }));
  return sql`
    insert into decision_reasons (id, reasons)
    select x.id, x.reasons from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id text, reasons jsonb)
    order by x.id
    on conflict (id) do nothing`;
}

/**
 * A stored decision (a jsonb expression) with its reasons put back in place of their id, as reads
 * show it; a decision without an id is returned as it is.
 */
export function decisionWithReasons(decision: RawBuilder<unknown>): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`coalesce(
    (select jsonb_set(${decision} #- '{decisioning,reasonsId}', '{decisioning,reasons}', r.reasons)
     from decision_reasons r where r.id = ${decision} #>> '{decisioning,reasonsId}'),
    ${decision})`;
}
