/**
 * Stalled and regressed deals.
 *
 * Days in stage are calendar days in the org's time zone, so a deal that entered
 * at 23:30 has spent one day in its stage at 00:10, on a daylight-saving change too.
 * A deal is stalled when its days in stage exceed the stage's `Stall_Days__c`.
 *
 * A deal has regressed when an exit criterion that allowed it into its current
 * stage no longer holds: the exit criteria of the stage it left and of any stage
 * it skipped on that move, evaluated now. A deal that came back to its stage by a
 * Back move, or that got its first stage without a move, has no such criteria.
 */
import {
  calendarDaysBetween,
  canonicalInstant,
  requireTimeZone,
} from './calendar.js';
import type { ModelStages } from './stage-catalog.js';
import type { LifecycleStage, LifecycleTransition } from './types.js';

/** Calendar days from entering a stage to `now`, in `zone`; never negative. */
export function daysInStage(
  stageEnteredAt: string,
  now: string,
  zone: string,
): number {
  requireTimeZone(zone);
  return Math.max(0, calendarDaysBetween(stageEnteredAt, now, zone));
}

/**
 * Tells whether a deal is stalled: more than `stallDays` days in its stage. A
 * stage without stall days (a closed stage) never stalls.
 */
export function isStalled(
  stallDays: number | null | undefined,
  days: number,
): boolean {
  if (stallDays === null || stallDays === undefined) return false;
  return days > stallDays;
}

/**
 * Returns the move that put a deal in its current stage: the latest transition
 * into that stage, or undefined when there is none.
 */
export function entryTransition(
  transitions: readonly LifecycleTransition[],
  dealId: string,
  currentStage: string,
): LifecycleTransition | undefined {
  let entry: LifecycleTransition | undefined;
  let entryAt = '';
  for (const transition of transitions) {
    if (transition.dealId !== dealId || transition.toStage !== currentStage) {
      continue;
    }
    const at = canonicalInstant(transition.at, 'Transitioned_At__c');
    if (!entry || at > entryAt) {
      entry = transition;
      entryAt = at;
    }
  }
  return entry;
}

/**
 * Returns the stages whose exit criteria must still hold for a deal in
 * `currentStage` that moved there from `fromStage`: the open stages from
 * `fromStage` up to, but not including, the current one. Empty for a back move, a
 * closed current stage or an unknown stage.
 */
export function stagesToHold(
  model: ModelStages,
  fromStage: string | null,
  currentStage: string,
): LifecycleStage[] {
  const from = fromStage === null ? undefined : model.byValue.get(fromStage);
  const current = model.byValue.get(currentStage);
  if (!from || !current || current.closed || from.order >= current.order) {
    return [];
  }
  return model.open.filter(
    (stage) => stage.order >= from.order && stage.order < current.order,
  );
}

/** A criterion result as regression detection reads it. */
export interface CriterionCheck {
  name: string;
  met: boolean;
}

/**
 * Finds the criteria that no longer hold among the results of evaluating, now,
 * the exit criteria from `stagesToHold`.
 */
export function detectRegression<C extends CriterionCheck>(
  results: readonly C[],
): { regressed: boolean; failing: C[] } {
  const failing = results.filter((result) => !result.met);
  return { regressed: failing.length > 0, failing };
}
