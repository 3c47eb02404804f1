import { CHECKOUT_BITS } from '../checkout/steps.ts';
import type { CheckoutStep } from '@loupe/contract';
import type { CheckoutRow } from './rows.ts';

/** One job's contribution to a `checkouts` row; merged into the stored row order-independently (see writeRows). */
export interface CheckoutDelta {
  projectId: string;
  key: string;
  sessionId: string;
  visitorId: string;
  firstAt: number;
  lastAt: number;
  mask: number;
  confirmedAt: number | null;
  confirmedSessionId: string | null;
  valueMinor: string | null;
  currency: string | null;
}

/** The checkout a step belongs to: its token, or its session when the page sent none. */
export const checkoutKey = (row: Pick<CheckoutRow, 'token' | 'sessionId'>): string => row.token ?? `session:${row.sessionId}`;

/** Folds a job's checkout events into one delta per checkout, sorted by key (lock order for the upsert). */
export function checkoutDeltas(rows: readonly CheckoutRow[]): CheckoutDelta[] {
  const byKey = new Map<string, CheckoutDelta>();
  for (const r of rows) {
    const key = checkoutKey(r);
    const id = `${r.projectId}\u0000${key}`;
    let d = byKey.get(id);
    if (!d) {
      d = { projectId: r.projectId, key, sessionId: r.sessionId, visitorId: r.visitorId, firstAt: r.ts, lastAt: r.ts, mask: 0,
        confirmedAt: null, confirmedSessionId: null, valueMinor: null, currency: null };
      byKey.set(id, d);
    }
    if (r.ts < d.firstAt) {
      d.firstAt = r.ts;
      d.sessionId = r.sessionId;
      d.visitorId = r.visitorId;
    }
    d.lastAt = Math.max(d.lastAt, r.ts);
    d.mask |= CHECKOUT_BITS[r.step as CheckoutStep] ?? 0;
    if (r.step === 'confirmed') {
      if (d.confirmedAt === null || r.ts < d.confirmedAt) {
        d.confirmedAt = r.ts;
        d.confirmedSessionId = r.sessionId;
      }
      if (r.valueMinor !== null && (d.valueMinor === null || BigInt(r.valueMinor) > BigInt(d.valueMinor))) {
        d.valueMinor = r.valueMinor;
        d.currency = r.currency;
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.projectId + a.key < b.projectId + b.key ? -1 : 1));
}
