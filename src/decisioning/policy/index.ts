/**
 * The learning policy's decision machinery, pure: no database, no HTTP, no clock. Randomness comes
 * in as an argument (a seeded source from simulation/random) so every decision can be replayed.
 */
export { sampleBeta, sampleGamma, sampleStandardNormal, type RandomSource } from './sampling.js';
export {
  chooseArm,
  chooseBanditArm,
  createBandit,
  estimateChoiceShares,
  formatArmKey,
  parseArmKey,
  parseBandit,
  posteriorOf,
  recordReward,
  sampleArm,
  serializeBandit,
  type ArmChoice,
  type ArmCounts,
  type ArmParts,
  type BanditParse,
  type BanditState,
  type BetaParams,
} from './thompson.js';
export { chooseSegmentArm, createSegmentedBandit, recordSegmentReward, segmentPosteriorOf, type SegmentedBandit } from './segmented-bandit.js';
export {
  annoyancePenalty,
  formatAmount,
  multiplyByProbability,
  scoreActions,
  WAIT,
  type CandidateAction,
  type ContactAction,
  type ExpectedValueConfig,
  type PolicyAction,
  type ScoreRequest,
  type ScoreResult,
  type ScoredAction,
  type WaitAction,
} from './expected-value.js';
export { assignGroup, DEFAULT_CONTROL_RATE, hashToUniform, hashToUniforms, isInControlGroup, type Assignment, type ControlGroupConfig, type Group } from './control-group.js';
export { decide, priorFromPrediction, WAIT_ARM, type Decision, type DecisionRequest, type DecisionResult } from './decide.js';
export {
  bootstrapInterval,
  evaluatePolicy,
  type Estimate,
  type Evaluation,
  type EvaluationResult,
  type LoggedDecision,
  type RewardModel,
  type TargetPolicy,
} from './off-policy.js';
export { kMeans, type KMeansResult } from './kmeans.js';
export {
  assignSegment,
  fitSegments,
  nameCentroids,
  FEATURE_NAMES,
  SEGMENT_NAMES,
  type BehaviourFeatures,
  type FeatureName,
  type Segment,
  type SegmentModel,
  type SegmentName,
} from './segments.js';
export {
  bestSendHour,
  DEFAULT_PRIOR_WEIGHT,
  formatHourOfWeek,
  HOURS_PER_WEEK,
  segmentDistribution,
  shrinkToSegment,
  toHourOfWeek,
  type SendTime,
} from './send-time.js';
