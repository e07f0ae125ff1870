/**
 * "Did you mean ...?" for misspelled names: the closest candidate by edit distance, if it is close
 * enough to be a plausible typo. Used for keywords by the parser and for field names by the checker.
 */

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost 1 (so `modle` is one edit from `model`).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  let twoBack = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, twoBack[j - 2] + 1);
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length];
}

/**
 * The candidate closest to `word`, or `undefined` when none is a plausible typo. Case differences
 * alone always match; otherwise the distance may be at most 40% of the word's length (at least 1).
 * Ties go to the candidate listed first, so results are deterministic.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lowered = word.toLowerCase();
  const threshold = Math.max(1, Math.floor(word.length * 0.4));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip candidates that cannot be close.
    if (Math.abs(candidate.length - word.length) > threshold) continue;
    const distance = candidate.toLowerCase() === lowered ? 0 : editDistance(lowered, candidate.toLowerCase());
    if (distance <= threshold && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
