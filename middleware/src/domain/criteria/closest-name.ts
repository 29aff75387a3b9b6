/**
 * Computes the edit distance of two strings: insertions, deletions, substitutions
 * and swaps of two adjacent characters (the optimal string alignment distance).
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution =
        (previous[j - 1] ?? 0) + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1);
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        substitution,
      );
      const swapped =
        i > 1 &&
        j > 1 &&
        a.charAt(i - 1) === b.charAt(j - 2) &&
        a.charAt(i - 2) === b.charAt(j - 1);
      if (swapped) {
        current[j] = Math.min(
          current[j] ?? 0,
          (beforePrevious[j - 2] ?? 0) + 1,
        );
      }
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Returns the candidate closest to `name`, ignoring case, if it is likely a typo of
 * it: at most 2 edits away, or a quarter of the name's length for long names, or
 * at most `maxEdits` when given.
 */
export function closestName(
  name: string,
  candidates: Iterable<string>,
  maxEdits?: number,
): string | undefined {
  const lowered = name.toLowerCase();
  const limit = maxEdits ?? Math.max(2, Math.floor(lowered.length / 4));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Returns a "; did you mean X?" suffix for an error message, or "". */
export function didYouMean(
  name: string,
  candidates: Iterable<string>,
  maxEdits?: number,
): string {
  const suggestion = closestName(name, candidates, maxEdits);
  return suggestion ? `; did you mean ${suggestion}?` : '';
}
