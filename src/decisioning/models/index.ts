/**
 * The response and risk models: a histogram gradient-boosted tree classifier, a logistic baseline,
 * the data loading they share, and the offline evaluation behind `recoup eval`.
 */
export { rocAuc } from './auc.js';
export { parseCsvTable, readCsvTable } from './csv-table.js';
export {
  type Cell,
  type Column,
  type ColumnKind,
  type ColumnSpec,
  type Dataset,
  type LabelledDataset,
  type TableInput,
  type TargetSpec,
  buildFeatures,
  buildTarget,
  checkColumns,
  selectRows,
} from './dataset.js';
export { type EvalKind, type EvalSpec, EVAL_SPECS, RESPONSE_SPEC, RISK_SPEC } from './eval-specs.js';
export { type EvalOptions, type EvalReport, DEFAULT_EVAL_SEED, TEST_FRACTION, datasetFromTable, evaluateCsv, evaluateDataset } from './evaluate.js';
export { type GbmFit, type GbmModel, type GbmOptions, DEFAULT_GBM_OPTIONS, fitGbm, predictGbm, predictGbmRaw } from './gbm.js';
export { type LogisticFit, type LogisticModel, type LogisticOptions, DEFAULT_LOGISTIC_OPTIONS, fitLogistic, predictLogistic } from './logistic.js';
export { type StoredGbm, type StoredLogistic, gbmFromJson, gbmToJson, logisticFromJson, logisticToJson } from './model-json.js';
export { type Split, stratifiedSplit } from './split.js';
