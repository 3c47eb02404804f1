/**
 * The standard normal distribution, as much of it as the segment tests need. Hand-written rather than a dependency:
 * two small functions, and their accuracy in the far tail matters (a Holm-adjusted threshold is around 1e-4 and
 * a strong segment's p-value can be 1e-30), which rules out the naive `1 - cdf(z)`.
 */

/**
 * The complementary error function, erfc(x), with a relative error below 1.2e-7 everywhere (Numerical Recipes'
 * Chebyshev fit `erfcc`). Relative, not absolute, error is what keeps tiny p-values meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z: the one-sided p-value of a z statistic. */
export function upperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * The z with P(Z > z) = p, for 0 < p < 1 (e.g. 0.025 → 1.96). Bisection on `upperTail`: 100 halvings of [-40, 40]
 * reach the precision of a double, and nothing calls this in a loop.
 */
export function upperQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`upperQuantile: p must be in (0, 1), got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
