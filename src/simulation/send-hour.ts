import { bestSendHour, HOURS_PER_WEEK, sampleBeta, toHourOfWeek, type RandomSource } from '../decisioning/policy/index.js';
import { CONTACT_WINDOW_HOURS } from './channels.js';
import type { CaseView } from './policy.js';

/**
 * The send hour: the send-time model's best hour for the person (their own noticed contacts by hour
 * of the week, shrunk toward their group's pattern: locale and age band), where the group's pattern is a Thompson draw
 * of each hour's notice rate. Drawing rather than taking the mean keeps trying hours that have had
 * few contacts, so the pattern is learned instead of frozen at the first hours used.
 */

const WINDOW_HOURS = Array.from({ length: CONTACT_WINDOW_HOURS.end - CONTACT_WINDOW_HOURS.start }, (_, i) => CONTACT_WINDOW_HOURS.start + i);
/** A person's own hours outweigh the locale after about five noticed contacts. */
const PERSON_PRIOR_WEIGHT = 5;

export class SendHourModel {
  readonly #sent = new Map<string, number[]>();
  readonly #noticed = new Map<string, number[]>();

  #counts(map: Map<string, number[]>, group: string): number[] {
    let counts = map.get(group);
    if (!counts) {
      counts = new Array<number>(24).fill(0);
      map.set(group, counts);
    }
    return counts;
  }

  /** `group`: the people whose hours are pooled, e.g. locale and age band. */
  record(group: string, localHour: number, noticed: boolean): void {
    this.#counts(this.#sent, group)[localHour]!++;
    if (noticed) this.#counts(this.#noticed, group)[localHour]!++;
  }

  /** `weekday`: 0 = Monday, the send-time model's convention. */
  choose(random: RandomSource, view: CaseView, group: string, weekday: number): number {
    const sent = this.#counts(this.#sent, group);
    const noticed = this.#counts(this.#noticed, group);
    const localeShares = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const hour of WINDOW_HOURS) {
      const rate = sampleBeta(random, 1 + noticed[hour]!, 1 + sent[hour]! - noticed[hour]!);
      for (let day = 0; day < 7; day++) localeShares[toHourOfWeek(day, hour)] = rate;
    }
    const personCounts = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const contact of view.ledger.contacts) {
      if (contact.engaged) for (let day = 0; day < 7; day++) personCounts[toHourOfWeek(day, contact.localHour)]! += 1 / 7;
    }
    const allowedHours = WINDOW_HOURS.map((hour) => toHourOfWeek(weekday, hour));
    return bestSendHour(personCounts, localeShares, { allowedHours, priorWeight: PERSON_PRIOR_WEIGHT }).hourOfWeek % 24;
  }
}
