import type { Channel, PlannedContact } from './channels.js';
import type { ContactRecord, Ledger } from './ledger.js';
import type { DebtorProfile } from './population.js';

/** What a policy may look at for one case on one day: the profile and the ledger, never the traits. */
export interface CaseView {
  profile: DebtorProfile;
  ledger: Readonly<Ledger>;
  daysPastDue: number;
  /** Channels the contact rules allow today; empty when no contact is allowed at all. Computed on first read. */
  readonly allowed: readonly Channel[];
}

export interface SimulationPolicy {
  readonly name: 'ai' | 'baseline';
  /** The contact to make today, or null to leave the case alone. */
  plan(view: CaseView, day: number): PlannedContact | null;
  /** The receipt of a contact this policy made. */
  observe?(view: CaseView, record: ContactRecord): void;
  /** Called after the day's payments are booked: the moment to learn from outcomes. */
  endOfDay?(day: number): void;
}
