import type { FieldRead } from '../domain/criteria/types.js';

/**
 * Writes the values a criterion read as `path = value` pairs, values as JSON
 * so a blank (`null`) and the text "null" stay apart. An aggregate also shows
 * how many child records matched of how many.
 */
export function evidenceText(reads: readonly FieldRead[]): string {
  return reads
    .map((read) => {
      const value = JSON.stringify(read.value ?? null);
      const counted =
        read.recordCount === undefined
          ? ''
          : ` (${read.matchedCount ?? read.recordCount}/${read.recordCount})`;
      return `${read.path} = ${value}${counted}`;
    })
    .join('; ');
}
