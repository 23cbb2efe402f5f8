import type { FeatureRecord } from './feature-table.js';

/** A model kind's training set as read from the database, before it becomes a dataset. */
export interface TrainingRows {
  records: FeatureRecord[];
  /** 1 when the outcome happened (paid after the contact; rolled into M2). */
  labels: Uint8Array;
  /** The first and last observation instants, stored with the version. */
  from: Date | null;
  to: Date | null;
  /** What a row is and what its positive outcome is, for messages: "sent contact attempts". */
  unit: string;
  outcome: string;
}
