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

/**
 * P(X ≥ x) for X ~ Hypergeometric(population, successes, draws): with `population` sessions of which `successes`
 * have the insight, the chance that `draws` sessions picked at random (the value's) hold at least `x` of them.
 * Sums the terms from x upwards by their ratio, starting from the first term computed in logs, and stops once the
 * terms no longer change the sum in double precision.
 */
export function hypergeometricUpperTail(x: number, population: number, successes: number, draws: number): number {
  const lowest = Math.max(0, draws - (population - successes));
  const highest = Math.min(draws, successes);
  if (x <= lowest) return 1;
  if (x > highest) return 0;
  let term = Math.exp(
    logChoose(successes, x) + logChoose(population - successes, draws - x) - logChoose(population, draws),
  );
  let sum = 0;
  for (let k = x; k <= highest; k++) {
    sum += term;
    if (term < sum * 1e-17) break;
    term *= ((successes - k) * (draws - k)) / ((k + 1) * (population - successes - draws + k + 1));
  }
  return Math.min(1, sum);
}
