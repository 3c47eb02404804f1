/**
 * Synthetic visits labelled by what the simulated visitor meant to do, never by the detection rules: a frustrated
 * visitor hammering a dead button, a shopper using a quantity stepper, a double-click, a slow reader, a skimmer, a
 * lost visitor searching a page, a visitor who hits back because the page was wrong, a broken coupon button. The
 * page answers each click the way the tracker would report it (with noise: slow answers, unrelated DOM changes,
 * background errors). Deterministic for a seed.
 */
import { seededRandom } from '@loupe/contract/testing';
import type { ClickInput, ErrorInput, PageViewInput, ScrollInput, SessionInput } from '../../api/src/insights/types.ts';

export type Rng = () => number;

/** The shared seeded generator. */
export const rng = (seed: number): Rng => seededRandom(seed);

const between = (r: Rng, lo: number, hi: number): number => lo + r() * (hi - lo);
const int = (r: Rng, lo: number, hi: number): number => Math.floor(between(r, lo, hi + 1));
/** Log-normal with the given median and spread (sigma of the log). */
const logNormal = (r: Rng, medianValue: number, sigma: number): number => {
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return medianValue * Math.exp(sigma * z);
};
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** The site: pages and how people normally scroll them (a size guide is compared up and down by everyone). */
const PAGES = {
  home: { url: '/', height: 4000, normalReversals: [0, 2] },
  category: { url: '/collections/shoes', height: 6000, normalReversals: [0, 2] },
  products: Array.from({ length: 40 }, (_, i) => ({ url: `/products/p${i}`, height: 3500, normalReversals: [0, 2] })),
  sizeGuide: { url: '/pages/size-guide', height: 9000, normalReversals: [4, 9] },
  cart: { url: '/cart', height: 1500, normalReversals: [0, 1] },
} as const;
type Page = { url: string; height: number; normalReversals: readonly [number, number] | readonly number[] };

/** Ground truth, per page view (rage, excessive scroll, quick back) or per click (dead, error). */
export interface Labels {
  ragePages: Set<string>;
  excessivePages: Set<string>;
  quickBackPages: Set<string>;
  deadClicks: Set<ClickInput>;
  errorClicks: Set<ClickInput>;
}

export const emptyLabels = (): Labels => ({
  ragePages: new Set(), excessivePages: new Set(), quickBackPages: new Set(), deadClicks: new Set(), errorClicks: new Set(),
});

/** Noise levels: how often the world disagrees with the visitor's intent. */
const NOISE = {
  /** A working control answers later than the tracker's 1 s window (slow network). */
  slowAnswer: 0.01,
  /** An unrelated DOM change (carousel, ad) lands in a dead click's window. */
  unrelatedMutation: 0.03,
  /** A session has a background script error at a random moment. */
  backgroundError: 0.15,
};

type Intent = 'browser' | 'reader' | 'skimmer' | 'frustrated' | 'stepper' | 'doubleClicker' | 'lost' | 'wrongPage' | 'brokenCoupon';
const INTENTS: ReadonlyArray<[Intent, number]> = [
  ['browser', 30], ['reader', 12], ['skimmer', 14], ['frustrated', 8], ['stepper', 8], ['doubleClicker', 6], ['lost', 8],
  ['wrongPage', 8], ['brokenCoupon', 6],
];

class VisitBuilder {
  readonly pageViews: PageViewInput[] = [];
  readonly clicks: ClickInput[] = [];
  readonly scrolls: ScrollInput[] = [];
  readonly errors: ErrorInput[] = [];
  t: number;
  private pv: PageViewInput | null = null;
  private y = 0;
  constructor(readonly r: Rng, readonly id: string, readonly startedAt: number, readonly labels: Labels) {
    this.t = startedAt;
  }
  get pageViewId(): string {
    return this.pv!.id;
  }
  visit(page: Page): string {
    if (this.pv) this.pv.lastEventAt = this.t;
    this.pv = { id: `${this.id}.${this.pageViews.length}`, url: page.url, startedAt: this.t, lastEventAt: this.t, activeMs: null };
    this.pageViews.push(this.pv);
    this.y = 0;
    this.scrolls.push({ pageViewId: this.pv.id, ts: this.t, y: 0 });
    return this.pv.id;
  }
  wait(ms: number): void {
    this.t += Math.max(1, Math.round(ms));
    this.pv!.lastEventAt = this.t;
  }
  /** Scrolls to `y`, reported once the scroll settles, like the tracker. */
  scrollTo(y: number, ms: number): void {
    this.wait(ms);
    this.y = Math.max(0, y);
    this.scrolls.push({ pageViewId: this.pv!.id, ts: this.t, y: this.y });
  }
  /** Reads a page top to bottom with `reversals` look-backs, in about `dwellMs`. */
  read(page: Page, dwellMs: number, reversals: number): void {
    const steps = Math.max(2, reversals * 2 + 2);
    let y = 0;
    for (let i = 0; i < steps; i++) {
      const back = i % 2 === 1 && i <= reversals * 2;
      y = back ? Math.max(0, y - between(this.r, 150, 600)) : Math.min(page.height, y + between(this.r, 300, 900));
      this.scrollTo(y, dwellMs / steps);
    }
  }
  click(o: { dx?: number; interactive: boolean; answer: 'none' | 'mutation' | 'navigation' | 'focus'; gap: number; selector: string }): ClickInput {
    this.wait(o.gap);
    let reaction: string = o.answer;
    if (o.answer !== 'none' && this.r() < NOISE.slowAnswer) reaction = 'none';
    if (o.answer === 'none' && this.r() < NOISE.unrelatedMutation) reaction = 'mutation';
    const c: ClickInput = {
      pageViewId: this.pv!.id, ts: this.t, pageX: 400 + (o.dx ?? 0), pageY: this.y + 300 + (o.dx ?? 0) / 2, selector: o.selector,
      interactive: o.interactive, reaction,
    };
    this.clicks.push(c);
    return c;
  }
  error(message: string, afterMs: number): void {
    this.errors.push({ pageViewId: this.pv!.id, ts: this.t + Math.round(afterMs), message });
  }
  done(projectId: string): SessionInput {
    if (this.pv) this.pv.lastEventAt = Math.max(this.pv.lastEventAt, this.t);
    return { projectId, id: this.id, startedAt: this.startedAt, pageViews: this.pageViews, clicks: this.clicks, scrolls: this.scrolls, errors: this.errors };
  }
}

/** A normal look at a page: reads it as people normally do there, then clicks a link onwards. */
function browse(v: VisitBuilder, page: Page, dwellMedian: number): void {
  v.visit(page);
  const [lo, hi] = page.normalReversals as [number, number];
  v.read(page, logNormal(v.r, dwellMedian, 0.5), int(v.r, lo, hi));
  v.click({ interactive: true, answer: 'navigation', gap: between(v.r, 300, 2000), selector: 'a.next' });
}

function intentOf(r: Rng): Intent {
  const total = INTENTS.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [intent, w] of INTENTS) if ((x -= w) < 0) return intent;
  return 'browser';
}

/** One visit of the given intent; labels are added to `labels`. */
export function generateVisit(r: Rng, id: string, startedAt: number, labels: Labels, projectId = 'bench'): SessionInput {
  const v = new VisitBuilder(r, id, startedAt, labels);
  const intent = intentOf(r);
  const product = () => pick(r, PAGES.products);
  browse(v, r() < 0.5 ? PAGES.home : PAGES.category, 20_000);
  switch (intent) {
    case 'browser':
      for (let i = int(r, 1, 3); i > 0; i--) browse(v, product(), 25_000);
      if (r() < 0.3) browse(v, PAGES.sizeGuide, 40_000);
      break;
    case 'reader':
      for (let i = int(r, 1, 2); i > 0; i--) {
        const p = product();
        v.visit(p);
        v.read(p, logNormal(r, 90_000, 0.4), int(r, 0, 2));
        // Selecting text to copy it: double- and triple-clicks on plain text.
        for (let k = int(r, 0, 2); k > 0; k--) {
          const n = r() < 0.5 ? 2 : 3;
          for (let j = 0; j < n; j++) v.click({ interactive: false, answer: 'none', gap: j === 0 ? 3000 : between(r, 90, 200), selector: 'main p' });
        }
        v.click({ interactive: true, answer: 'navigation', gap: 2000, selector: 'a.next' });
      }
      break;
    case 'skimmer':
      for (let i = int(r, 3, 6); i > 0; i--) {
        const p = product();
        v.visit(p);
        v.scrollTo(p.height * between(r, 0.5, 1), logNormal(r, 2500, 0.4));
        v.wait(logNormal(r, 6000, 0.4));
        v.click({ interactive: true, answer: 'navigation', gap: 300, selector: 'a.next' });
      }
      break;
    case 'frustrated': {
      const p = product();
      const pv = v.visit(p);
      v.read(p, logNormal(r, 15_000, 0.4), int(r, 0, 1));
      v.labels.ragePages.add(pv);
      for (let i = int(r, 3, 8); i > 0; i--) {
        const c = v.click({ interactive: true, answer: 'none', gap: between(r, 150, 700), dx: between(r, -8, 8), selector: 'button.notify-me' });
        v.labels.deadClicks.add(c);
      }
      break;
    }
    case 'stepper': {
      v.visit(PAGES.cart);
      v.wait(4000);
      for (let i = int(r, 2, 8); i > 0; i--) v.click({ interactive: true, answer: 'mutation', gap: between(r, 150, 500), dx: between(r, -4, 4), selector: 'button.qty-plus' });
      v.click({ interactive: true, answer: 'navigation', gap: 3000, selector: 'a.checkout' });
      break;
    }
    case 'doubleClicker': {
      const p = product();
      v.visit(p);
      v.read(p, logNormal(r, 20_000, 0.4), int(r, 0, 2));
      // Double-clicks out of habit: on a working button (answered twice) and on the product photo (plain content).
      v.click({ interactive: true, answer: 'mutation', gap: 1000, selector: 'button.add' });
      v.click({ interactive: true, answer: 'mutation', gap: between(r, 80, 250), selector: 'button.add' });
      v.click({ interactive: false, answer: 'none', gap: 2000, dx: 100, selector: 'img.photo' });
      v.click({ interactive: false, answer: 'none', gap: between(r, 80, 250), dx: 100, selector: 'img.photo' });
      break;
    }
    case 'lost': {
      // Searching a page for something not there: up and down, fast, many more times than others do on that page.
      const p = r() < 0.3 ? PAGES.sizeGuide : product();
      const pv = v.visit(p);
      v.labels.excessivePages.add(pv);
      // Normal visitors of the page turn up to 2 × hi times (each look-back is two reversals).
      const [, hi] = p.normalReversals as [number, number];
      const turns = 2 * hi + int(r, 5, 10);
      for (let i = 0; i <= turns; i++) v.scrollTo(i % 2 === 0 ? p.height * between(r, 0.6, 1) : p.height * between(r, 0, 0.3), between(r, 400, 1200));
      v.click({ interactive: true, answer: 'navigation', gap: 1000, selector: 'a.next' });
      break;
    }
    case 'wrongPage': {
      const from = v.pageViews[0]!;
      const wrong = product();
      const pv = v.visit(wrong);
      v.labels.quickBackPages.add(pv);
      v.wait(logNormal(r, 2200, 0.35));
      v.visit(from.url === PAGES.home.url ? PAGES.home : PAGES.category);
      v.read(PAGES.category, logNormal(r, 12_000, 0.4), 1);
      browse(v, product(), 25_000);
      break;
    }
    case 'brokenCoupon': {
      v.visit(PAGES.cart);
      v.wait(logNormal(r, 8000, 0.3));
      const c = v.click({ interactive: true, answer: 'none', gap: 500, selector: 'button.apply-coupon' });
      v.error('TypeError: Cannot read properties of undefined (reading "code")', between(r, 5, 400));
      // The button did nothing visible: a dead click as well as an error click, whatever the tracker saw.
      v.labels.errorClicks.add(c);
      v.labels.deadClicks.add(c);
      v.wait(3000);
      break;
    }
  }
  // Background noise: a third-party script error at a random moment of the visit.
  if (r() < NOISE.backgroundError) {
    const pv = pick(r, v.pageViews);
    v.errors.push({ pageViewId: pv.id, ts: Math.round(between(r, pv.startedAt, pv.lastEventAt + 1)), message: 'Script error.' });
  }
  return v.done(projectId);
}
