/**
 * The segment statistics on simulated binomial data (power and false positives over seeds), on hand-made edge cases
 * (sample minimums, the lift floor) and their numeric building blocks against values computed another way.
 */
import assert from 'node:assert/strict';
import { hypergeometricUpperTail, logGamma } from '../../src/insights/hypergeometric.ts';
import { upperQuantile, upperTail } from '../../src/insights/normal.ts';
import { DEFAULT_SEGMENT_CRITERIA, findInterestingSegments, holmAdjust, type ValueCount } from '../../src/insights/segments.ts';
import { simulate } from './segmentSimulation.ts';

/**
 * 8% of sessions with the insight: a realistic dead-click share (rage clicks are rarer, 1–3%, and need larger
 * values or lifts to be found: docs/insights-segments.md has the power table).
 */
const BASE_RATE = 0.08;
const SEEDS = Array.from({ length: 20 }, (_, i) => 101 + i);

describe('interesting segments: statistics', () => {
  it('finds a planted 1.5× lift on a value with 2,000 sessions in at least 19 of 20 seeds', () => {
    let found = 0;
    for (const seed of SEEDS) {
      const { counts, totals } = simulate({
        seed,
        sessions: 48_000,
        rate: BASE_RATE,
        planted: { dimension: 'browser', value: 'UC Browser', sessions: 2000, lift: 1.5 },
      });
      const { segments } = findInterestingSegments(counts, totals);
      const planted = segments.find((s) => s.dimension === 'browser' && s.value === 'UC Browser');
      if (!planted) continue;
      found += 1;
      assert.equal(planted.sessions, 2000);
      assert.ok(planted.lift > 1.2 && planted.pValue <= DEFAULT_SEGMENT_CRITERIA.alpha);
      assert.ok(planted.difference.low > 0 && planted.difference.low < planted.difference.estimate);
    }
    console.log(`      planted 1.5× lift found in ${found} of ${SEEDS.length} seeds`);
    assert.ok(found >= 19, `found in only ${found} of ${SEEDS.length} seeds`);
  });

  it('reports a segment in at most 1 of 20 seeds of uniform data (~50k sessions, ~90 values tested)', () => {
    let reporting = 0;
    let tested = 0;
    for (const seed of SEEDS) {
      const { counts, totals } = simulate({ seed: seed + 10_000, sessions: 50_000, rate: BASE_RATE });
      const result = findInterestingSegments(counts, totals);
      tested += result.tested;
      if (result.segments.length > 0) reporting += 1;
    }
    console.log(`      uniform data: ${reporting} of ${SEEDS.length} runs reported a segment (${tested / SEEDS.length} values tested per run)`);
    // The family must be realistic for the bound to mean something.
    assert.ok(tested / SEEDS.length >= 70, `only ${tested / SEEDS.length} values tested per run`);
    assert.ok(reporting <= 1, `${reporting} of ${SEEDS.length} uniform runs reported a segment`);
  });

  it('never reports a value below the sample minimums, however extreme its rate', () => {
    const totals = { sessions: 100_000, withInsight: 10_000 };
    const v = (value: string, sessions: number, withInsight: number): ValueCount => ({ dimension: 'entryPage', value, sessions, withInsight });
    const counts = [
      v('/99-sessions', 99, 99), // under minSessions
      v('/four-events', 500, 4), // under minInsightSessions (and below the rest anyway)
      v('/tiny-rest', 99_950, 9_990), // the rest has 50 sessions
      v('/just-enough', 100, 40), // 100 sessions, 10 expected: tested, and 4× the rest
    ];
    const { tested, segments } = findInterestingSegments(counts, totals);
    assert.equal(tested, 1);
    assert.deepEqual(segments.map((s) => s.value), ['/just-enough']);
    // With a rarer insight the same value expects fewer than 10 events and is not tested at all.
    const rare = findInterestingSegments([v('/just-enough', 100, 40)], { sessions: 100_000, withInsight: 5_000 });
    assert.deepEqual(rare, { tested: 0, segments: [] });
  });

  it('does not report a significant difference below the minimum lift', () => {
    const totals = { sessions: 100_000, withInsight: 10_200 };
    const chrome: ValueCount = { dimension: 'browser', value: 'Chrome', sessions: 20_000, withInsight: 2_200 }; // 11% vs 10%
    assert.deepEqual(findInterestingSegments([chrome], totals).segments, []);
    const anyLift = findInterestingSegments([chrome], totals, { ...DEFAULT_SEGMENT_CRITERIA, minLift: 1 });
    assert.equal(anyLift.segments.length, 1, 'the difference is significant: only the lift floor hides it');
    assert.ok(Math.abs(anyLift.segments[0]!.lift - 1.1) < 1e-9);
  });

  it('sorts by lift and adjusts over every value tested', () => {
    const totals = { sessions: 50_000, withInsight: 4_000 };
    const counts: ValueCount[] = [
      { dimension: 'os', value: 'iOS', sessions: 5_000, withInsight: 800 }, // 16% vs ~7.1%
      { dimension: 'tag', value: 'plan:free', sessions: 1_000, withInsight: 250 }, // 25% vs ~7.7%
      { dimension: 'device', value: 'pc', sessions: 20_000, withInsight: 1_500 }, // below the rest
    ];
    const { tested, segments } = findInterestingSegments(counts, totals);
    assert.equal(tested, 3);
    assert.deepEqual(segments.map((s) => s.value), ['plan:free', 'iOS']);
    const raw = hypergeometricUpperTail(250, 50_000, 4_000, 1_000);
    assert.ok(segments[0]!.pValue >= raw * 2 && segments[0]!.pValue <= raw * 3, 'Holm multiplies by 3 or 2');
  });
});

describe('interesting segments: numeric building blocks', () => {
  it('Holm adjustment matches the textbook step-down values', () => {
    assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
    assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
    assert.deepEqual(holmAdjust([]), []);
  });

  it('normal tail and quantile agree with tabulated values', () => {
    assert.ok(Math.abs(upperTail(1.959964) - 0.025) < 1e-8);
    assert.ok(Math.abs(upperTail(5) / 2.866515718791939e-7 - 1) < 1e-6, 'relative accuracy in the far tail');
    assert.ok(Math.abs(upperTail(-1) - 0.8413447460685429) < 1e-7);
    assert.ok(Math.abs(upperQuantile(0.025) - 1.959963984540054) < 1e-6);
  });

  it('the hypergeometric tail equals a sum of exact binomial coefficients', () => {
    assert.ok(Math.abs(logGamma(11) - Math.log(3_628_800)) < 1e-10);
    // Population 30 with 12 successes, 10 draws: the tail from 6, computed with exact integer arithmetic.
    const choose = (n: number, k: number): bigint => {
      let r = 1n;
      for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
      return r;
    };
    const exactTail = (x: number): number => {
      let numerator = 0n;
      for (let k = x; k <= 10; k++) numerator += choose(12, k) * choose(18, 10 - k);
      return Number(numerator) / Number(choose(30, 10));
    };
    // Mean 4: 6 and 9 sum the upper tail, 2 and 4 one minus the lower tail.
    for (const x of [2, 4, 6, 9]) assert.ok(Math.abs(hypergeometricUpperTail(x, 30, 12, 10) / exactTail(x) - 1) < 1e-10, `x = ${x}`);
    // Far below the mean of a large population (mean 1,000): certain, not an underflowed 0.
    assert.ok(hypergeometricUpperTail(100, 1_000_000, 100_000, 10_000) > 0.999_999);
    assert.ok(hypergeometricUpperTail(1_300, 1_000_000, 100_000, 10_000) < 1e-15);
    assert.equal(hypergeometricUpperTail(0, 30, 12, 10), 1);
    assert.equal(hypergeometricUpperTail(11, 30, 12, 10), 0);
  });
});
