/**
 * Interesting user segments: which dimension values (a browser, an entry page, a tag value, …) have a rate of an
 * insight (share of sessions with a rage click, say) significantly above the rest of the sessions. Pure: the
 * counts come from `queries/getInterestingSegments.ts`; the method and its power are in docs/insights-segments.md.
 *
 * For every value with enough data (`SegmentCriteria`), a one-sided two-proportion test of "value rate > rest rate":
 * Fisher's exact test (the hypergeometric tail), not the z-test, whose normal tail is too thin for values with a few
 * dozen events (measured: 7–10% of uniform runs reported a segment at a nominal 5%). Then Holm–Bonferroni over every
 * value tested in the run, so the chance that a run reports any segment when nothing stands out is at most `alpha`
 * whatever the dependence between the tests (the same sessions appear in every dimension). Then a minimum lift, so
 * a large value is not reported for a difference too small to matter.
 */
import { hypergeometricUpperTail } from './hypergeometric.ts';
import { upperQuantile } from './normal.ts';

/** Sessions of one dimension value, and how many of them have the insight. */
export interface ValueCount<D extends string = string> {
  dimension: D;
  value: string;
  sessions: number;
  withInsight: number;
}

/** The same counts over all the sessions in the range and filters. */
export interface InsightTotals {
  sessions: number;
  withInsight: number;
}

/** When a value is tested and when it is reported. */
export interface SegmentCriteria {
  /** Family-wise error rate: the chance that a run reports at least one segment that does not stand out. */
  alpha: number;
  /** Minimum sessions in the value and in the rest. */
  minSessions: number;
  /** Minimum sessions with the insight in the value and in the rest (a rate from 2 of 100 is noise, and an empty rest has no finite lift). */
  minInsightSessions: number;
  /**
   * Minimum sessions with the insight that the value would have at the overall rate. Chosen from the value's size,
   * not its outcome, so it does not bias the test; a value below it could only be reported with an implausible lift,
   * and leaving it out of the Holm family keeps the thresholds of the values that can be found lower.
   */
  minExpectedInsightSessions: number;
  /** Minimum ratio of the value's rate to the rest's rate. */
  minLift: number;
}

/**
 * The defaults (docs/insights-segments.md): `alpha` 0.02 rather than 0.05 because Holm's bound is per run, and at
 * 5% two or more of 20 uniform runs would report something one time in four; at 2% that is about one time in thirty.
 */
export const DEFAULT_SEGMENT_CRITERIA: Readonly<SegmentCriteria> = Object.freeze({
  alpha: 0.02,
  minSessions: 100,
  minInsightSessions: 5,
  minExpectedInsightSessions: 10,
  minLift: 1.2,
});

/** A value whose rate stands out. */
export interface Segment<D extends string = string> {
  dimension: D;
  value: string;
  sessions: number;
  withInsight: number;
  /** Share of the value's sessions with the insight. */
  rate: number;
  /** Share of the other sessions (all sessions minus this value's) with the insight. */
  restRate: number;
  /** rate / restRate. */
  lift: number;
  /** Holm-adjusted one-sided p-value: the segment is reported when this is at most `alpha`. */
  pValue: number;
  /**
   * 95% confidence interval of rate − restRate (Wald, unpooled): the size of the difference, for display. It is not
   * adjusted for the number of values tested; the adjusted p-value is what decides.
   */
  difference: { estimate: number; low: number; high: number };
}

export interface SegmentAnalysis<D extends string = string> {
  /** How many values met the criteria and were tested: the Holm family size. */
  tested: number;
  /** Reported segments, highest lift first (ties: smaller p-value first). */
  segments: Segment<D>[];
}

/** One tested value before the correction. */
interface Tested<D extends string> {
  count: ValueCount<D>;
  rate: number;
  restRate: number;
  p: number;
  restSessions: number;
}

const Z95 = upperQuantile(0.025);

/** Does the value carry enough data, in itself and in the rest, to be tested? */
export function isTestable(count: ValueCount, totals: InsightTotals, criteria: SegmentCriteria = DEFAULT_SEGMENT_CRITERIA): boolean {
  const restSessions = totals.sessions - count.sessions;
  const restWith = totals.withInsight - count.withInsight;
  const expected = totals.sessions > 0 ? (count.sessions * totals.withInsight) / totals.sessions : 0;
  return (
    count.sessions >= criteria.minSessions &&
    restSessions >= criteria.minSessions &&
    count.withInsight >= criteria.minInsightSessions &&
    restWith >= criteria.minInsightSessions &&
    expected >= criteria.minExpectedInsightSessions
  );
}

function test<D extends string>(count: ValueCount<D>, totals: InsightTotals): Tested<D> {
  const restSessions = totals.sessions - count.sessions;
  const restWith = totals.withInsight - count.withInsight;
  // Given how many sessions have the insight, how likely is it that the value's sessions, drawn at random from all
  // of them, hold at least as many as they do: the one-sided p-value of Fisher's exact test.
  const p = hypergeometricUpperTail(count.withInsight, totals.sessions, totals.withInsight, count.sessions);
  return { count, rate: count.withInsight / count.sessions, restRate: restWith / restSessions, p, restSessions };
}

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values becomes max over j ≤ i of min(1, (m − j + 1) · p_j).
 * Rejecting where the adjusted value is ≤ alpha is Holm's procedure (family-wise error ≤ alpha under any dependence).
 * Returns adjusted values in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * The values whose insight rate is significantly above the rest's, by the method above. `counts` may hold values
 * of several dimensions; a session may be counted under several values of one dimension (multi-valued tags), since
 * each value is compared with the sessions outside it.
 */
export function findInterestingSegments<D extends string>(
  counts: readonly ValueCount<D>[],
  totals: InsightTotals,
  criteria: SegmentCriteria = DEFAULT_SEGMENT_CRITERIA,
): SegmentAnalysis<D> {
  const tested = counts.filter((c) => isTestable(c, totals, criteria)).map((c) => test(c, totals));
  const adjusted = holmAdjust(tested.map((t) => t.p));
  const segments: Segment<D>[] = [];
  tested.forEach((t, i) => {
    const pValue = adjusted[i]!;
    const lift = t.rate / t.restRate;
    if (pValue > criteria.alpha || lift < criteria.minLift) return;
    const estimate = t.rate - t.restRate;
    const se = Math.sqrt((t.rate * (1 - t.rate)) / t.count.sessions + (t.restRate * (1 - t.restRate)) / t.restSessions);
    segments.push({
      dimension: t.count.dimension,
      value: t.count.value,
      sessions: t.count.sessions,
      withInsight: t.count.withInsight,
      rate: t.rate,
      restRate: t.restRate,
      lift,
      pValue,
      difference: { estimate, low: estimate - Z95 * se, high: estimate + Z95 * se },
    });
  });
  segments.sort((a, b) => b.lift - a.lift || a.pValue - b.pValue);
  return { tested: tested.length, segments };
}
