import assert from 'node:assert/strict';
import { parseProjectSettings } from '@loupe/contract';
import { analyzeSession } from '../../src/insights/analyzeSession.ts';
import { findErrorClicks, findRageBursts, isDeadClick } from '../../src/insights/detectClicks.ts';
import { findQuickBacks, quickBackThresholdMs } from '../../src/insights/quickBacks.ts';
import { BASELINE_MIN_SAMPLES, DEFAULT_BASELINE, baselineFor, isExcessiveScroll, scrollStats } from '../../src/insights/scrolling.ts';
import type { Baseline, Baselines, ClickInput, ScrollInput } from '../../src/insights/types.ts';

const RULES = parseProjectSettings({}).insights;
const NO_BASELINES: Baselines = { site: null, byUrl: new Map() };

/** Clicks at `gaps` ms after each other, `dx` px apart horizontally. */
function clicks(n: number, o: { gap?: number; dx?: number; reaction?: string | null; interactive?: boolean; t0?: number } = {}): ClickInput[] {
  return Array.from({ length: n }, (_, i) => ({
    pageViewId: 'pv1', ts: (o.t0 ?? 1000) + i * (o.gap ?? 300), pageX: 100 + i * (o.dx ?? 0), pageY: 200, selector: 'button.buy',
    interactive: o.interactive ?? true, reaction: o.reaction === undefined ? 'none' : o.reaction,
  }));
}

const scrolls = (ys: number[], gap = 500): ScrollInput[] => ys.map((y, i) => ({ pageViewId: 'pv1', ts: i * gap, y }));
const baseline = (b: Partial<Baseline>): Baseline => ({ ...DEFAULT_BASELINE, samples: 100, ...b });

describe('insight rules', () => {
  describe('rage clicks', () => {
    it('three clicks each within the gap, on one spot, unanswered: one burst', () => {
      assert.equal(findRageBursts(clicks(3, { gap: 1000 }), RULES).length, 1);
    });
    it('a gap just over the limit breaks the burst', () => {
      assert.equal(findRageBursts(clicks(3, { gap: 1001 }), RULES).length, 0);
    });
    it('a double-click is not rage', () => {
      assert.equal(findRageBursts(clicks(2, { gap: 120 }), RULES).length, 0);
    });
    it('radius: 30 px from the first click is in, 31 px is out', () => {
      assert.equal(findRageBursts(clicks(3, { dx: 15 }), RULES).length, 1);
      assert.equal(findRageBursts(clicks(3, { dx: 15.5 }), RULES).length, 0);
    });
    it('rapid clicks spread far apart are not rage', () => {
      assert.equal(findRageBursts(clicks(8, { gap: 150, dx: 200 }), RULES).length, 0);
    });
    it('a quantity stepper answering every click is not rage; a burst mostly unanswered is', () => {
      assert.equal(findRageBursts(clicks(6, { gap: 200, reaction: 'mutation' }), RULES).length, 0);
      const mixed = clicks(4, { gap: 200 });
      mixed[0]!.reaction = 'mutation';
      assert.equal(findRageBursts(mixed, RULES).length, 1);
      const half = clicks(4, { gap: 200 });
      half[2]!.reaction = 'mutation';
      half[3]!.reaction = 'navigation';
      assert.equal(findRageBursts(half, RULES).length, 0);
    });
    it('a quick triple-click on text selects it; four clicks on text are rage', () => {
      assert.equal(findRageBursts(clicks(3, { gap: 200, interactive: false }), RULES).length, 0);
      assert.equal(findRageBursts(clicks(4, { gap: 200, interactive: false }), RULES).length, 1);
    });
    it('a long burst is one occurrence, and the click count is configurable', () => {
      const bursts = findRageBursts(clicks(7, { gap: 250 }), RULES);
      assert.deepEqual(bursts.map((b) => b.clicks.length), [7]);
      assert.equal(findRageBursts(clicks(4), { ...RULES, rageClickCount: 5 }).length, 0);
      assert.equal(findRageBursts(clicks(5), { ...RULES, rageClickCount: 5 }).length, 1);
    });
    it('two bursts separated by a pause are two occurrences', () => {
      const two = [...clicks(3, { t0: 0 }), ...clicks(3, { t0: 5000 })];
      assert.equal(findRageBursts(two, RULES).length, 2);
    });
  });

  describe('dead clicks', () => {
    it('only an unanswered click on something clickable is dead', () => {
      const [c] = clicks(1);
      assert.equal(isDeadClick(c!), true);
      assert.equal(isDeadClick({ ...c!, interactive: false }), false);
      for (const reaction of ['mutation', 'navigation', 'scroll', 'focus', null]) assert.equal(isDeadClick({ ...c!, reaction }), false, String(reaction));
    });
    it('a link answered after the tracker\'s window (the next page view starts within 5 s) is not dead', () => {
      const [c] = clicks(1, { t0: 1000 });
      assert.equal(isDeadClick(c!, 6000), false);
      assert.equal(isDeadClick(c!, 6001), true);
    });
  });

  describe('error clicks', () => {
    const err = (ts: number, pageViewId = 'pv1') => ({ pageViewId, ts, message: 'TypeError: x is undefined' });
    it('an error within the window after a click; not just outside it, not before it', () => {
      const cs = clicks(1, { t0: 1000 });
      assert.equal(findErrorClicks(cs, [err(2000)], RULES).length, 1);
      assert.equal(findErrorClicks(cs, [err(2001)], RULES).length, 0);
      assert.equal(findErrorClicks(cs, [err(999)], RULES).length, 0);
    });
    it('an error after a click on plain text is not blamed on it', () => {
      assert.equal(findErrorClicks(clicks(1, { t0: 1000, interactive: false }), [err(1100)], RULES).length, 0);
    });
    it('several errors after one click make one error click, blamed on the latest click', () => {
      const cs = clicks(2, { t0: 1000, gap: 400 });
      const found = findErrorClicks(cs, [err(1500), err(1600)], RULES);
      assert.equal(found.length, 1);
      assert.equal(found[0]!.click.ts, 1400);
    });
  });

  describe('excessive scrolling', () => {
    it('counts reversals and distance, ignoring jitter', () => {
      const s = scrollStats(scrolls([0, 500, 100, 110, 600, 200, 700]), 6000);
      assert.equal(s.reversals, 4);
      assert.equal(s.distance, 500 + 400 + 500 + 400 + 500);
    });
    it('a fast skim straight down is not excessive however fast', () => {
      const s = scrollStats(scrolls([0, 3000, 6000, 9000, 12000], 200), 1000);
      assert.equal(isExcessiveScroll(s, DEFAULT_BASELINE, RULES), false);
    });
    it('judged against the page: nine reversals are normal on a comparison page and excessive on a product page', () => {
      const ys = [0, 800, 100, 900, 200, 1000, 300, 1100, 400, 1200, 500];
      const s = scrollStats(scrolls(ys, 3000), 30_000);
      assert.equal(s.reversals, 9);
      const compare = baseline({ reversalsMedian: 8, reversalsMad: 2, speedMedian: 300, speedMad: 100 });
      const product = baseline({ reversalsMedian: 1, reversalsMad: 1, speedMedian: 300, speedMad: 100 });
      assert.equal(isExcessiveScroll(s, compare, RULES), false);
      assert.equal(isExcessiveScroll(s, product, RULES), true);
    });
    it('just under and over the reversal threshold of the default baseline', () => {
      // Default: median 1, robust sd max(1.4826 × 1, √1, 1.5) = 1.5 → z ≥ 3 needs at least 1 + 4.5 reversals.
      const five = scrollStats(scrolls([0, 300, 0, 300, 0, 300, 0], 5000), 60_000);
      const six = scrollStats(scrolls([0, 300, 0, 300, 0, 300, 0, 300], 5000), 60_000);
      assert.deepEqual([five.reversals, six.reversals], [5, 6]);
      assert.equal(isExcessiveScroll(five, DEFAULT_BASELINE, RULES), false);
      assert.equal(isExcessiveScroll(six, DEFAULT_BASELINE, RULES), true);
    });
    it('a page uses its own baseline only with enough samples, else the site, else the default', () => {
      const own = baseline({ samples: BASELINE_MIN_SAMPLES, reversalsMedian: 7 });
      const site = baseline({ reversalsMedian: 2 });
      assert.equal(baselineFor('/a', { site, byUrl: new Map([['/a', own]]) }), own);
      assert.equal(baselineFor('/a', { site, byUrl: new Map([['/a', { ...own, samples: BASELINE_MIN_SAMPLES - 1 }]]) }), site);
      assert.equal(baselineFor('/a', NO_BASELINES), DEFAULT_BASELINE);
    });
  });

  describe('quick backs', () => {
    const pages = (...p: [string, number][]) => p.map(([url, dwellMs]) => ({ url, dwellMs }));
    it('the threshold adapts to the site and is clamped', () => {
      const site = (dwellMedianMs: number): Baselines => ({ site: baseline({ dwellMedianMs }), byUrl: new Map() });
      assert.equal(quickBackThresholdMs(site(30_000), RULES), 7500);
      assert.equal(quickBackThresholdMs(site(4_000), RULES), 2000);
      assert.equal(quickBackThresholdMs(site(200_000), RULES), 12_000);
      assert.equal(quickBackThresholdMs(NO_BASELINES, RULES), 7500);
    });
    it('A → B → A faster than the threshold; not when slower, not when moving on', () => {
      assert.deepEqual(findQuickBacks(pages(['/a', 20_000], ['/b', 7499], ['/a', 5000]), 7500), [1]);
      assert.deepEqual(findQuickBacks(pages(['/a', 20_000], ['/b', 7500], ['/a', 5000]), 7500), []);
      assert.deepEqual(findQuickBacks(pages(['/a', 20_000], ['/b', 1000], ['/c', 5000]), 7500), []);
    });
    it('back and forward repeatedly: every short middle page is a quick back', () => {
      assert.deepEqual(findQuickBacks(pages(['/a', 3000], ['/b', 2000], ['/a', 2000], ['/b', 2000], ['/a', 9000]), 7500), [1, 2, 3]);
    });
    it('a reload of the same page is not a quick back', () => {
      assert.deepEqual(findQuickBacks(pages(['/a', 3000], ['/a', 1000], ['/a', 9000]), 7500), []);
    });
  });

  describe('slow readers and skimmers', () => {
    const t0 = 1_700_000_000_000;
    /** A visit over `urls`, `dwellMs` on each, scrolling to each y of `ys` evenly over the page. */
    const visit = (urls: string[], dwellMs: number, ys: number[]) => ({
      projectId: 'p', id: 's', startedAt: t0,
      pageViews: urls.map((url, i) => ({ id: `pv${i}`, url, startedAt: t0 + i * dwellMs, lastEventAt: t0 + (i + 1) * dwellMs - 1, activeMs: null })),
      clicks: [],
      scrolls: urls.flatMap((_, i) => ys.map((y, k) => ({ pageViewId: `pv${i}`, ts: t0 + i * dwellMs + (k * dwellMs) / ys.length, y }))),
      errors: [],
    });
    it('a slow reader who looks back twice per page is neither an excessive scroller nor a quick back', () => {
      const a = analyzeSession(visit(['/a', '/b', '/a', '/c'], 120_000, [0, 900, 600, 1500, 1200, 2400]), NO_BASELINES, RULES);
      assert.deepEqual(a.counts, { rage_click: 0, dead_click: 0, error_click: 0, excessive_scroll: 0, quick_back: 0 });
    });
    it('a skimmer racing forward through pages straight down is neither', () => {
      const a = analyzeSession(visit(['/a', '/b', '/c', '/d', '/e'], 4000, [0, 3000, 6000, 9000]), NO_BASELINES, RULES);
      assert.deepEqual(a.counts, { rage_click: 0, dead_click: 0, error_click: 0, excessive_scroll: 0, quick_back: 0 });
    });
    it('the same skimmer bouncing back from a wrong page, and searching a page up and down, is both', () => {
      const a = analyzeSession(visit(['/a', '/b', '/a'], 4000, [0, 3000, 200, 3100, 100, 2900, 300, 3200, 0]), NO_BASELINES, RULES);
      assert.equal(a.counts.quick_back, 1);
      assert.equal(a.counts.excessive_scroll, 3);
    });
  });

  describe('analyzeSession', () => {
    it('combines the rules: counts, flags, offsets from the session start, numbering per kind, active time', () => {
      const t0 = 1_700_000_000_000;
      const pv = (id: string, url: string, at: number, activeMs: number | null) => ({ id, url, startedAt: t0 + at, lastEventAt: t0 + at + 500, activeMs });
      const c = (pageViewId: string, at: number, reaction: string | null, x = 10): ClickInput => ({
        pageViewId, ts: t0 + at, pageX: x, pageY: 10, selector: '#buy', interactive: true, reaction,
      });
      const a = analyzeSession(
        {
          projectId: 'p', id: 's', startedAt: t0,
          pageViews: [pv('1', '/cat', 0, 4000), pv('2', '/product', 20_000, 1000), pv('3', '/cat', 22_000, null)],
          clicks: [c('1', 1000, 'none'), c('1', 1300, 'none'), c('1', 1600, 'none'), c('3', 23_000, 'mutation', 500)],
          scrolls: [],
          errors: [{ pageViewId: '3', ts: t0 + 23_200, message: 'boom' }],
        },
        NO_BASELINES,
        RULES,
      );
      assert.deepEqual(a.counts, { rage_click: 1, dead_click: 3, error_click: 1, excessive_scroll: 0, quick_back: 1 });
      assert.equal(a.activeMs, 5000);
      assert.deepEqual(a.pageViews.map((p) => [p.id, p.dwellMs, p.rageClicks, p.deadClicks, p.errorClicks, p.quickBack]), [
        ['1', 20_000, 1, 3, 0, false],
        ['2', 2000, 0, 0, 0, true],
        ['3', 500, 0, 0, 1, false],
      ]);
      assert.deepEqual(a.insights.map((o) => [o.kind, o.seq, o.offsetMs]), [
        ['rage_click', 0, 1000],
        ['dead_click', 0, 1000],
        ['dead_click', 1, 1300],
        ['dead_click', 2, 1600],
        ['quick_back', 0, 20_000],
        ['error_click', 0, 23_000],
      ]);
      assert.deepEqual(a.insights[0]!.detail, { clicks: 3, spanMs: 600 });
    });
  });
});
