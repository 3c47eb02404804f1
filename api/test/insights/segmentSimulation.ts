/**
 * Simulated sessions for the segment statistics: each session draws a value in every dimension from a realistic,
 * skewed distribution (a few big browsers, a long tail of entry pages and sources, a couple of tags) and has the
 * insight with a fixed probability, optionally higher for one planted value. Counting then goes through the same
 * shapes the SQL query returns, so the statistics see what they would see in production — including the overlap
 * of dimensions (every session is in one browser, one OS, … at once).
 */
import type { InsightTotals, ValueCount } from '../../src/insights/segments.ts';

import { seededRandom } from '@loupe/contract/testing';

export { seededRandom };

interface Dimension {
  name: string;
  values: string[];
  weights: number[];
}

/** Zipf-like weights 1/k: the shape of entry pages and referrers on a store. */
const zipf = (prefix: string, n: number): Dimension['values'] => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);
const zipfWeights = (n: number): number[] => Array.from({ length: n }, (_, k) => 1 / (k + 1));

/**
 * Dimensions of the simulated store: 9 browsers, 6 OSes, 3 device classes, 50 entry pages, 20 sources, and two tag
 * keys (an A/B test on every session, a plan on 60% of them): 97 values, ~75 of which pass the sample minimums at
 * 50k sessions and a 6% rate.
 */
export const DIMENSIONS: readonly Dimension[] = [
  { name: 'browser', values: ['Chrome', 'Mobile Safari', 'Safari', 'Edge', 'Firefox', 'Samsung Internet', 'Opera', 'Chrome WebView', 'Yandex'], weights: [50, 20, 8, 8, 6, 4, 2, 1.5, 0.5] },
  { name: 'os', values: ['Windows', 'Android', 'iOS', 'Mac OS', 'Linux', 'Chrome OS'], weights: [35, 30, 22, 9, 3, 1] },
  { name: 'device', values: ['pc', 'mobile', 'tablet'], weights: [50, 45, 5] },
  { name: 'entryPage', values: zipf('https://shop.example.com/page/', 50), weights: zipfWeights(50) },
  { name: 'source', values: ['direct', ...zipf('site', 19).map((s) => `${s}.example`)], weights: zipfWeights(20) },
  { name: 'tag', values: ['ab:A', 'ab:B'], weights: [1, 1] },
  { name: 'tag', values: ['plan:free', 'plan:pro', 'plan:team', 'plan:enterprise', '(none)'], weights: [30, 15, 10, 5, 40] },
];

function sampler(d: Dimension, random: () => number): () => string {
  const total = d.weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  d.weights.reduce((acc, w) => (cumulative.push((acc + w) / total), acc + w), 0);
  return () => {
    const u = random();
    const i = cumulative.findIndex((c) => u < c);
    return d.values[i === -1 ? d.values.length - 1 : i]!;
  };
}

export interface SimulationOptions {
  seed: number;
  /** Sessions drawn from the distributions above. */
  sessions: number;
  /** Probability that a session has the insight. */
  rate: number;
  /** A value with exactly `sessions` extra sessions whose rate is `rate · lift` (it is absent from the draws). */
  planted?: { dimension: string; value: string; sessions: number; lift: number };
}

export interface SimulatedCounts {
  counts: ValueCount[];
  totals: InsightTotals;
}

/** Draws the sessions and counts them per dimension value, as the query would. */
export function simulate(o: SimulationOptions): SimulatedCounts {
  const random = seededRandom(o.seed);
  const samplers = DIMENSIONS.map((d) => ({ name: d.name, next: sampler(d, random) }));
  const byKey = new Map<string, ValueCount>();
  const add = (dimension: string, value: string, hit: boolean) => {
    if (value === '(none)') return; // an untagged session has no value for that key
    const key = `${dimension}\u0000${value}`;
    const c = byKey.get(key) ?? { dimension, value, sessions: 0, withInsight: 0 };
    c.sessions += 1;
    if (hit) c.withInsight += 1;
    byKey.set(key, c);
  };
  const totals = { sessions: 0, withInsight: 0 };
  const draw = (planted: boolean) => {
    const values = samplers.map((s) => ({ name: s.name, value: s.next() }));
    if (planted && o.planted) {
      const slot = values.find((v) => v.name === o.planted!.dimension)!;
      slot.value = o.planted.value;
    }
    const hit = random() < (planted && o.planted ? o.rate * o.planted.lift : o.rate);
    totals.sessions += 1;
    if (hit) totals.withInsight += 1;
    for (const v of values) add(v.name, v.value, hit);
  };
  for (let i = 0; i < o.sessions; i++) draw(false);
  for (let i = 0; i < (o.planted?.sessions ?? 0); i++) draw(true);
  return { counts: [...byKey.values()], totals };
}
