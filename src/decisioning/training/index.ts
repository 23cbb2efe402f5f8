/**
 * Decisioning models fitted from Recoup's own recorded outcomes: the training sets (each sent contact
 * and whether a payment followed; each overdue receivable and whether it rolled into M2), versioned
 * storage with champion and challenger, and the scheduled refit.
 */
export { type FeatureRecord, type FeatureSet, datasetFromRecords } from './feature-table.js';
export { type ContactFacts, RESPONSE_FEATURES, amountBucket, localHourAndWeekday, responseFeatures } from './response-features.js';
export { type OverdueFacts, RISK_FEATURES, riskFeatures } from './risk-features.js';
export { type CandidateMetrics } from './fit-candidate.js';
export { FEATURE_SETS, MODEL_KINDS, type LoadedModel, type ModelVersionSummary, type ModelVersionView, listModelVersions, loadModel, modelVersionsView } from './model-versions.js';
export { MIN_PER_CLASS, type TrainDeps, type TrainReport, type TrainingConfig, checkRows, trainModel } from './train-model.js';
export { type RetrainDeps, createRetrainWork, retrainAll, trainingJobInput } from './retrain-work.js';
