/**
 * Each deal's transitions in time order, to replay where a deal stood at a past
 * instant: the stage it was in, and whether it was won within a span.
 */
import { canonicalInstant } from './calendar.js';
import type { LifecycleTransition } from './types.js';

export interface DealTimeline {
  /** Canonical instants, ascending. */
  at: string[];
  fromStage: Array<string | null>;
  toStage: string[];
}

export type DealTimelines = Map<string, DealTimeline>;

function byInstant(a: { at: string }, b: { at: string }): number {
  if (a.at < b.at) return -1;
  return a.at > b.at ? 1 : 0;
}

/** Groups transitions by deal and sorts each deal's moves by time. */
export function buildDealTimelines(
  transitions: Iterable<LifecycleTransition>,
): DealTimelines {
  const grouped = new Map<
    string,
    Array<{ at: string; from: string | null; to: string }>
  >();
  for (const transition of transitions) {
    const at = canonicalInstant(transition.at, 'Transitioned_At__c');
    let moves = grouped.get(transition.dealId);
    if (!moves) {
      moves = [];
      grouped.set(transition.dealId, moves);
    }
    moves.push({ at, from: transition.fromStage, to: transition.toStage });
  }
  const timelines: DealTimelines = new Map();
  for (const [dealId, moves] of grouped) {
    moves.sort(byInstant);
    timelines.set(dealId, {
      at: moves.map((move) => move.at),
      fromStage: moves.map((move) => move.from),
      toStage: moves.map((move) => move.to),
    });
  }
  return timelines;
}

/** Index of the last move before `instant`, or -1 when there is none. */
export function lastMoveBefore(
  timeline: DealTimeline,
  instant: string,
): number {
  let low = 0;
  let high = timeline.at.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeline.at[middle]! < instant) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Returns the stage a deal was in just before `instant`, or null before its first move. */
export function stageBefore(
  timeline: DealTimeline | undefined,
  instant: string,
): string | null {
  if (!timeline) return null;
  const index = lastMoveBefore(timeline, instant);
  return index < 0 ? null : timeline.toStage[index]!;
}

/** Tells whether a deal moved into one of `stages` at or after `from` and before `to`. */
export function enteredBetween(
  timeline: DealTimeline | undefined,
  stages: ReadonlySet<string>,
  from: string,
  to: string,
): boolean {
  if (!timeline) return false;
  for (
    let index = lastMoveBefore(timeline, from) + 1;
    index < timeline.at.length;
    index++
  ) {
    if (timeline.at[index]! >= to) return false;
    if (stages.has(timeline.toStage[index]!)) return true;
  }
  return false;
}
