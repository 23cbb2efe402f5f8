import { lastEngagedContact } from './ledger.js';
import type { CaseView } from './policy.js';

/**
 * The context the learning policy conditions on, built only from what a real system records.
 * `pool` (locale, age band and how long the debt is overdue) picks a segmented bandit; `segment` (how past
 * episodes went and how the person reacted to this episode's contacts so far: never contacted,
 * contacted but silent, or noticed at least once; which channel the person notices is
 * the personal fit's job, see channel-notice.ts) is the segment within it. A thin segment
 * borrows from its own pool, so a new kind of case early in the episode starts from early-episode
 * rates rather than from the whole portfolio's, which late, hopeless cases would drag down.
 */
export interface CaseContext {
  pool: string;
  segment: string;
}

export function caseContext(view: CaseView): CaseContext {
  const { profile, ledger, daysPastDue } = view;
  const history = profile.priorEpisodes > 0 && profile.priorSelfCures * 2 >= profile.priorEpisodes ? 'cured-before' : 'other';
  const age = daysPastDue <= 3 ? 'd1-3' : daysPastDue <= 10 ? 'd4-10' : daysPastDue <= 30 ? 'd11-30' : 'd31+';
  const engaged = lastEngagedContact(ledger);
  const reaction = ledger.contacts.length === 0 ? 'uncontacted' : engaged ? 'noticed' : 'silent';
  return { pool: `${profile.locale}|${profile.ageBand}|${age}`, segment: `${history}|${reaction}` };
}
