/**
 * The upper tail of the hypergeometric distribution: the one-sided p-value of Fisher's exact test for two
 * proportions. The segment test uses it because the normal approximation (the z-test) has too thin an upper tail
 * for values with a few dozen events, which made it report segments on uniform data about twice as often as its
 * nominal level (docs/insights-segments.md).
 */

/** Lanczos coefficients (g = 7, n = 9): ln Γ to about 15 significant digits for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x ≥ 0.5 (all this module needs: factorials of counts). */
export function logGamma(x: number): number {
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** ln P(X = k) for X ~ Hypergeometric(population, successes, draws). */
const logPmf = (k: number, population: number, successes: number, draws: number): number =>
  logChoose(successes, k) + logChoose(population - successes, draws - k) - logChoose(population, draws);

/**
 * P(X ≥ x) for X ~ Hypergeometric(population, successes, draws): with `population` sessions of which `successes`
 * have the insight, the chance that `draws` sessions picked at random (the value's) hold at least `x` of them.
 * Sums the tail that lies away from the mean (the upper tail when x is above it, else 1 − the lower tail), from
 * its end nearest the mean outwards, each term from the previous by their ratio, and stops once terms no longer
 * change the sum in double precision. Which tail matters: the upper tail from an x far below the mean starts with
 * a term that underflows to 0, and a sum of zeros would give a value far *below* the rest a p-value of 0.
 */
export function hypergeometricUpperTail(x: number, population: number, successes: number, draws: number): number {
  const lowest = Math.max(0, draws - (population - successes));
  const highest = Math.min(draws, successes);
  if (x <= lowest) return 1;
  if (x > highest) return 0;
  const failures = population - successes;
  if (x > (draws * successes) / population) {
    // Upper tail: terms fall from x upwards.
    let term = Math.exp(logPmf(x, population, successes, draws));
    let sum = 0;
    for (let k = x; k <= highest && term > 0; k++) {
      sum += term;
      if (term < sum * 1e-17) break;
      term *= ((successes - k) * (draws - k)) / ((k + 1) * (failures - draws + k + 1));
    }
    return Math.min(1, sum);
  }
  // Lower tail P(X ≤ x − 1): terms fall from x − 1 downwards.
  let term = Math.exp(logPmf(x - 1, population, successes, draws));
  let sum = 0;
  for (let k = x - 1; k >= lowest && term > 0; k--) {
    sum += term;
    if (term < sum * 1e-17) break;
    term *= (k * (failures - draws + k)) / ((successes - k + 1) * (draws - k + 1));
  }
  return Math.max(0, 1 - sum);
}
