import type { ColumnSpec, TargetSpec } from './dataset.js';

export type EvalKind = 'response' | 'risk';

/** What `recoup eval` reads from a file: the features, the outcome, and what it must not use. */
export interface EvalSpec {
  kind: EvalKind;
  describe: string;
  features: ColumnSpec[];
  target: TargetSpec;
  /** Columns dropped if present: not features, and never required. */
  ignored: string[];
}

const numeric = (name: string): ColumnSpec => ({ name, kind: 'numeric' });
const categorical = (name: string): ColumnSpec => ({ name, kind: 'categorical' });

/**
 * UCI Bank Marketing (bank-additional-full.csv): did the contact lead to a subscription. `duration`
 * is dropped because it is only known once the call has ended, so using it would leak the outcome.
 * "unknown" is kept as a category of its own: not answering is itself informative.
 */
export const RESPONSE_SPEC: EvalSpec = {
  kind: 'response',
  describe: 'response model (contact leads to payment), UCI Bank Marketing format',
  features: [
    numeric('age'),
    ...['job', 'marital', 'education', 'default', 'housing', 'loan', 'contact', 'month', 'day_of_week'].map(categorical),
    numeric('campaign'),
    numeric('pdays'),
    numeric('previous'),
    categorical('poutcome'),
    ...['emp.var.rate', 'cons.price.idx', 'cons.conf.idx', 'euribor3m', 'nr.employed'].map(numeric),
  ],
  target: { name: 'y', positive: ['yes'], negative: ['no'] },
  ignored: ['duration'],
};

/**
 * UCI default of credit card clients (Taiwan): does the client default next month. SEX, EDUCATION
 * and MARRIAGE are codes, not quantities; the PAY_n delays are ordered and stay numeric.
 */
export const RISK_SPEC: EvalSpec = {
  kind: 'risk',
  describe: 'risk model (default next month), UCI Taiwan credit default format',
  features: [
    numeric('LIMIT_BAL'),
    ...['SEX', 'EDUCATION', 'MARRIAGE'].map(categorical),
    numeric('AGE'),
    ...['PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6'].map(numeric),
    ...[1, 2, 3, 4, 5, 6].map((i) => numeric(`BILL_AMT${i}`)),
    ...[1, 2, 3, 4, 5, 6].map((i) => numeric(`PAY_AMT${i}`)),
  ],
  target: { name: 'default payment next month', positive: ['1'], negative: ['0'] },
  ignored: ['ID'],
};

export const EVAL_SPECS: Record<EvalKind, EvalSpec> = { response: RESPONSE_SPEC, risk: RISK_SPEC };
