import { assignGroup, type ControlGroupConfig, type Group } from './control-group.js';
import { scoreActions, WAIT, type ContactAction, type ExpectedValueConfig, type PolicyAction, type ScoreResult } from './expected-value.js';
import { sampleBeta, type RandomSource } from './sampling.js';
import { estimateChoiceShares, type BetaParams } from './thompson.js';

/**
 * One decision for one case: control group first, then Thompson sampling over expected value.
 *
 * Each draw samples p(pay) for 'wait' and for every allowed contact from their Beta posteriors and
 * lets the EV scorer rank them; the winner of the draw is the decision. Uncertain arms sometimes
 * draw high and get tried (exploration); arms known to be poor stop being chosen. Because 'wait' is
 * an arm too, the policy learns who pays anyway.
 */

export const WAIT_ARM = 'wait';

export interface DecisionRequest {
  customerId: string;
  experiment: ControlGroupConfig;
  /** What the baseline schedule would do for this case now: the control group gets exactly this. */
  baselineAction: PolicyAction;
  /** Contacts the strategy allows now; each action id is its bandit arm key (see formatArmKey). */
  candidates: readonly ContactAction[];
  outstandingMinor: bigint;
  currency: string;
  contactsLast7Days: number;
  complaints: number;
}

export interface Decision {
  action: PolicyAction;
  group: Group;
  /** Probability this decision had of being made, stored for off-policy evaluation. */
  propensity: number;
  evMinor: bigint;
  reasons: string[];
}

export type DecisionResult = { ok: true; decision: Decision } | Extract<ScoreResult, { ok: false }>;

function drawScores(random: RandomSource, request: DecisionRequest, posterior: (arm: string) => BetaParams, config: ExpectedValueConfig, reasons: boolean): ScoreResult {
  const draw = (arm: string) => {
    const { alpha, beta } = posterior(arm);
    return sampleBeta(random, alpha, beta);
  };
  return scoreActions(
    {
      candidates: request.candidates.map((action) => ({ action, pPay: draw(action.id) })),
      pPayIfWait: draw(WAIT_ARM),
      outstandingMinor: request.outstandingMinor,
      currency: request.currency,
      contactsLast7Days: request.contactsLast7Days,
      complaints: request.complaints,
    },
    config,
    { reasons },
  );
}

/**
 * Decides for one case. `posterior` gives the Beta belief about p(pay) per arm: a bandit state
 * (posteriorOf), a segment state (segmentPosteriorOf), or a response model's prediction turned into
 * pseudo-counts. The propensity is estimated by re-running the draw (see chooseArm for the why).
 */
export function decide(
  random: RandomSource,
  request: DecisionRequest,
  posterior: (arm: string) => BetaParams,
  config: ExpectedValueConfig,
  options: { propensityDraws?: number } = {},
): DecisionResult {
  const assignment = assignGroup(request.customerId, request.experiment);
  if (assignment.group === 'control') {
    // Given the group, the baseline is deterministic: propensity 1 within the control arm of the experiment.
    const rate = request.experiment.rate ?? 0.05;
    const reasons = [`control group (${(rate * 100).toFixed(1)}% of customers, experiment "${request.experiment.salt}"): baseline schedule`];
    return { ok: true, decision: { action: request.baselineAction, group: 'control', propensity: 1, evMinor: 0n, reasons } };
  }
  const scored = drawScores(random, request, posterior, config, true);
  if (!scored.ok) return scored;
  const chosen = scored.ranked[0]!;
  const draws = options.propensityDraws ?? 200;
  const shares = estimateChoiceShares(draws, () => {
    const again = drawScores(random, request, posterior, config, false);
    return again.ok ? again.ranked[0]!.action.id : WAIT.id;
  });
  const propensity = ((shares.get(chosen.action.id) ?? 0) * draws + 1) / (draws + 1);
  const reasons = [...chosen.reasons.slice(0, 3), `chosen in ${(propensity * 100).toFixed(0)}% of posterior draws`];
  return { ok: true, decision: { action: chosen.action, group: 'policy', propensity, evMinor: chosen.evMinor, reasons } };
}

/**
 * Turns a response model's p(pay) into a Beta prior worth `strength` observations, so the bandit
 * starts from the model instead of from ignorance and its own outcomes take over as they arrive.
 */
export function priorFromPrediction(pPay: number, strength = 10): BetaParams {
  const p = Math.min(Math.max(pPay, 1e-4), 1 - 1e-4);
  return { alpha: p * strength, beta: (1 - p) * strength };
}
