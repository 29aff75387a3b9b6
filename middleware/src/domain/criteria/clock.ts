import { DateTime } from 'luxon';
import { MS_PER_DAY } from './date-values.js';
import type { EvaluationEnv } from './types.js';

let cachedInstant = Number.NaN;
let cachedZone = '';
let cachedDay = 0;

function instantOf(env: EvaluationEnv): number {
  const ms = env.now instanceof Date ? env.now.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `EvaluationEnv.now is ${String(env.now)}, which is not a valid Date; pass the instant of the evaluation`,
    );
  }
  return ms;
}

/** Returns NOW(), the evaluation instant in epoch milliseconds. */
export function nowOf(env: EvaluationEnv): number {
  return instantOf(env);
}

/**
 * TODAY(): the calendar date at the evaluation instant in the org's time zone, as
 * days since 1970-01-01. The last result is cached, because one evaluation run
 * asks many times for the same instant and zone.
 */
export function todayOf(env: EvaluationEnv): number {
  const ms = instantOf(env);
  if (ms === cachedInstant && env.timeZone === cachedZone) return cachedDay;
  const local = DateTime.fromMillis(ms, { zone: env.timeZone });
  if (!local.isValid) {
    throw new RangeError(
      `EvaluationEnv.timeZone "${env.timeZone}" is not an IANA time zone; set the org time zone to a name such as "America/New_York"`,
    );
  }
  cachedDay = Date.UTC(local.year, local.month - 1, local.day) / MS_PER_DAY;
  cachedInstant = ms;
  cachedZone = env.timeZone;
  return cachedDay;
}
