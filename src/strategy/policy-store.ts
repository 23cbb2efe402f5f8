import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { fail, notFound, ok, type Result } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { loadPlanningPage } from '../delivery/planning-context.js';
import { diffLines, formatUnified, type LineChange } from './line-diff.js';
import { loadPolicy, type CompiledPolicy } from './load-policy.js';
import { readTemplateCatalogue, resolvePolicyFile } from './policy-files.js';
import type { TemplateEntry } from './policy-checks.js';
import { compareDecisions, type DryRunReport } from './policy-dry-run.js';
import { findVersionRow, listVersionRows, newestActiveRow, saveAndActivate, type PolicyVersionRow } from './policy-version-rows.js';

/*
 * The policy in force lives here, not in a constant: it changes at run time (POST /v1/policy, SIGHUP,
 * another process's activation), every change is validated before anything is written, stored verbatim
 * with its hash, audited, and only then switched in; readers call current() at each use.
 */
export type PolicyFormat = 'yaml' | 'json';

/** The version in force, as the console shows it. */
export interface ActivePolicy {
  versionId: string;
  id: string;
  version: number;
  ref: string;
  sha256: string;
  format: PolicyFormat;
  source: string;
  activatedAt: Date | null;
}

export interface PolicyVersionInfo {
  versionId: string;
  id: string;
  version: number;
  ref: string;
  sha256: string;
  format: PolicyFormat;
  createdAt: Date;
  createdBy: string;
  activatedAt: Date | null;
  active: boolean;
}

export interface PolicyDiff {
  from: PolicyVersionInfo;
  to: PolicyVersionInfo;
  added: number;
  removed: number;
  changes: LineChange[];
  unified: string;
}

export interface PolicyStore {
  /** The compiled policy in force; read it at each use, since it may change between two reads. */
  current(): CompiledPolicy;
  active(): ActivePolicy;
  /** Validates and compiles first: on any error nothing is stored and the running policy stays in force. */
  activate(source: string, options: { format?: PolicyFormat; actor: string; label?: string }): Promise<Result<{ policy: ActivePolicy; changed: boolean }>>;
  /** Re-reads the configured policy file (SIGHUP); errors are logged and returned, the old policy kept. */
  reloadFromFile(actor?: string): Promise<Result<{ policy: ActivePolicy; changed: boolean }>>;
  /** Adopts a version another process activated since; used before each planning run. */
  refresh(): Promise<void>;
  versions(): Promise<PolicyVersionInfo[]>;
  diff(from: string, to?: string): Promise<Result<PolicyDiff>>;
  /** Compiles a candidate and compares its decisions with the running policy's on up to `sampleSize` open cases. Writes nothing. */
  dryRun(source: string, options?: { format?: PolicyFormat; sampleSize?: number }): Promise<Result<DryRunReport>>;
}

export interface PolicyStoreDeps {
  db: Db;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  policyFile?: string | undefined;
  templatesFile?: string | undefined;
}

interface InForce {
  compiled: CompiledPolicy;
  row: PolicyVersionRow;
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_DRY_RUN_SAMPLE = 1000;

export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON when it looks like JSON; YAML otherwise (YAML would parse most JSON too, but the record should say what it is). */
export function guessFormat(source: string, file?: string): PolicyFormat {
  if (file) return /\.json$/i.test(file) ? 'json' : 'yaml';
  return /^\s*[{[]/.test(source) ? 'json' : 'yaml';
}

function compile(source: string, format: PolicyFormat, label: string, templates: readonly TemplateEntry[]): Result<CompiledPolicy> {
  return loadPolicy(source, { file: label, format, templates });
}

function toActive(row: PolicyVersionRow): ActivePolicy {
  return {
    versionId: row.id, id: row.policy_id, version: row.version, ref: `${row.policy_id}@${row.version}`,
    sha256: row.sha256, format: row.format, source: row.source, activatedAt: row.activated_at,
  };
}

function toInfo(row: Omit<PolicyVersionRow, 'source'>, activeId: string): PolicyVersionInfo {
  return {
    versionId: row.id, id: row.policy_id, version: row.version, ref: `${row.policy_id}@${row.version}`, sha256: row.sha256,
    format: row.format, createdAt: row.created_at, createdBy: row.created_by, activatedAt: row.activated_at, active: row.id === activeId,
  };
}

/**
 * Boot: the newest version activated in the database wins (so every process on one PostgreSQL runs the
 * same policy); with none, the configured file is compiled (a broken file stops boot, with file, line,
 * path and reason), stored and activated.
 */
export async function openPolicyStore(deps: PolicyStoreDeps): Promise<PolicyStore> {
  const templates = readTemplateCatalogue(deps.templatesFile);
  const file = resolvePolicyFile(deps.policyFile);
  let inForce = await adoptStored(deps, templates);
  if (inForce) warnIfFileDiffers(deps, file, inForce);
  else inForce = await activateFileAtBoot(deps, file, templates);
  return new PolicyHolder(deps, templates, file, inForce);
}

async function adoptStored(deps: PolicyStoreDeps, templates: readonly TemplateEntry[]): Promise<InForce | undefined> {
  const row = await newestActiveRow(deps.db);
  if (!row) return undefined;
  const compiled = compile(row.source, row.format, storedLabel(row), templates);
  if (compiled.ok) return { compiled: compiled.value, row };
  // The template catalogue changed under a stored version: the configured file is the way out.
  deps.logger.warn({ policy: `${row.policy_id}@${row.version}`, reason: compiled.error.message }, 'the active stored policy no longer compiles; using the policy file');
  return undefined;
}

function warnIfFileDiffers(deps: PolicyStoreDeps, file: string, inForce: InForce): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  if (sha256Of(text) !== inForce.row.sha256) {
    deps.logger.warn({ file, inForce: inForce.compiled.ref }, 'the policy file differs from the version in force in the database; send SIGHUP or POST /v1/policy to activate it');
  }
}

async function activateFileAtBoot(deps: PolicyStoreDeps, file: string, templates: readonly TemplateEntry[]): Promise<InForce> {
  const source = readFileSync(file, 'utf8');
  const format = guessFormat(source, file);
  const compiled = compile(source, format, file, templates);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const policy = compiled.value;
  const saved = await saveAndActivate(deps.db, { policyId: policy.id, version: policy.version, source, format, sha256: sha256Of(source) }, deps.clock.now(), 'system');
  if (!saved.ok) throw new Error(`policy ${file}: ${saved.error.message}`);
  return { compiled: policy, row: saved.value.row };
}

function seqOf(row: PolicyVersionRow): bigint {
  return BigInt(row.activation_seq ?? 0n);
}

function storedLabel(row: PolicyVersionRow): string {
  return `policy_versions ${row.policy_id}@${row.version}`;
}

class PolicyHolder implements PolicyStore {
  #inForce: InForce;
  // A version activated elsewhere that does not compile here is reported once, not at every planning run.
  #refusedSeq: bigint | null = null;

  constructor(
    private readonly deps: PolicyStoreDeps,
    private readonly templates: readonly TemplateEntry[],
    private readonly file: string,
    initial: InForce,
  ) {
    this.#inForce = initial;
  }

  current(): CompiledPolicy {
    return this.#inForce.compiled;
  }

  active(): ActivePolicy {
    return toActive(this.#inForce.row);
  }

  // Only ever move forward: two activations finishing out of order must not leave the older in force.
  #adopt(next: InForce): void {
    if (seqOf(next.row) >= seqOf(this.#inForce.row)) this.#inForce = next;
  }

  async activate(source: string, options: { format?: PolicyFormat; actor: string; label?: string }): Promise<Result<{ policy: ActivePolicy; changed: boolean }>> {
    const format = options.format ?? guessFormat(source);
    const compiled = compile(source, format, options.label ?? 'source', this.templates);
    if (!compiled.ok) return compiled;
    const policy = compiled.value;
    const candidate = { policyId: policy.id, version: policy.version, source, format, sha256: sha256Of(source) };
    const saved = await saveAndActivate(this.deps.db, candidate, this.deps.clock.now(), options.actor);
    if (!saved.ok) return saved;
    const previous = this.#inForce.compiled.ref;
    this.#adopt({ compiled: policy, row: saved.value.row });
    if (saved.value.changed) this.deps.logger.info({ policy: policy.ref, previous, actor: options.actor }, 'collection policy activated');
    return ok({ policy: toActive(saved.value.row), changed: saved.value.changed });
  }

  async reloadFromFile(actor = 'system:reload'): Promise<Result<{ policy: ActivePolicy; changed: boolean }>> {
    const file = this.file;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = `cannot read the policy file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      this.deps.logger.error({ file, reason }, 'policy reload refused; the running policy stays in force');
      return fail({ type: 'validation', message: `policy ${file}: ${reason}`, details: [{ field: '(file)', reason }] });
    }
    const result = await this.activate(source, { format: guessFormat(source, file), actor, label: file });
    // The message names the file, line, path and reason; a policy holds no personal data.
    if (!result.ok) this.deps.logger.error({ file, inForce: this.#inForce.compiled.ref, reason: result.error.message }, 'policy reload refused; the running policy stays in force');
    return result;
  }

  async refresh(): Promise<void> {
    const row = await newestActiveRow(this.deps.db);
    if (!row || row.id === this.#inForce.row.id || row.activation_seq === this.#refusedSeq) return;
    if (seqOf(row) < seqOf(this.#inForce.row)) return;
    const compiled = compile(row.source, row.format, storedLabel(row), this.templates);
    if (compiled.ok) return void this.#adopt({ compiled: compiled.value, row });
    this.#refusedSeq = row.activation_seq;
    this.deps.logger.error({ policy: `${row.policy_id}@${row.version}`, reason: compiled.error.message }, 'a policy activated elsewhere does not compile here; the running policy stays in force');
  }

  async versions(): Promise<PolicyVersionInfo[]> {
    const rows = await listVersionRows(this.deps.db);
    return rows.map((row) => toInfo(row, this.#inForce.row.id));
  }

  /** `to` defaults to the version in force. Each side is a row id, `policy-id@version`, or a version of the policy in force. */
  async diff(from: string, to?: string): Promise<Result<PolicyDiff>> {
    const inForce = this.#inForce.row;
    const a = await findVersionRow(this.deps.db, from, inForce.policy_id);
    if (!a) return fail(notFound('policy version', 'from', from));
    const b = to === undefined ? inForce : await findVersionRow(this.deps.db, to, inForce.policy_id);
    if (!b) return fail(notFound('policy version', 'to', to!));
    const changes = diffLines(a.source, b.source);
    const fromInfo = toInfo(a, inForce.id);
    const toInfoValue = toInfo(b, inForce.id);
    return ok({
      from: fromInfo,
      to: toInfoValue,
      added: changes.filter((c) => c.op === 'added').length,
      removed: changes.filter((c) => c.op === 'removed').length,
      changes,
      unified: formatUnified(changes, { from: fromInfo.ref, to: toInfoValue.ref }),
    });
  }

  // The sample is the first open cases in customer-id order: ids are random uuids, so it is unbiased
  // enough for "what would change", and it is the same sample on every call, so runs compare.
  async dryRun(source: string, options: { format?: PolicyFormat; sampleSize?: number } = {}): Promise<Result<DryRunReport>> {
    const compiled = compile(source, options.format ?? guessFormat(source), 'source', this.templates);
    if (!compiled.ok) return compiled;
    const page = await loadPlanningPage(this.deps.db, this.deps.clock.now(), FIRST_ID, options.sampleSize ?? DEFAULT_DRY_RUN_SAMPLE);
    return ok(compareDecisions(this.#inForce.compiled, compiled.value, page.map((s) => s.context)));
  }
}
