import type { CheckoutStep } from '@loupe/contract';

/**
 * How far into checkout a step is. A step event means "the shopper reached this step"; `started` lands on the
 * first step (Contact info), so it counts as reaching it. `other` (express or custom steps) sits between Payment and
 * Confirmed, as in Clarity's funnel.
 */
export const STEP_LEVEL: Record<CheckoutStep, number> = {
  started: 1,
  contact: 1,
  shipping: 2,
  payment: 3,
  other: 4,
  confirmed: 5,
};

/** The funnel's steps, in order, with their level. */
export const FUNNEL_STEPS = [
  { step: 'contact', level: 1 },
  { step: 'shipping', level: 2 },
  { step: 'payment', level: 3 },
  { step: 'other', level: 4 },
  { step: 'confirmed', level: 5 },
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number]['step'];

/**
 * Steps reached, as bits on the session row (`sessions.checkout_mask`), so the funnel reads sessions, not events.
 * started and contact share a bit: both mean Contact info was reached.
 */
export const CHECKOUT_BITS: Record<CheckoutStep, number> = {
  started: 1,
  contact: 1,
  shipping: 2,
  payment: 4,
  other: 8,
  confirmed: 16,
};
/** Reached Shipping or later (Other aside), Payment or later, and the middle steps an express checkout skips. */
export const REACHED_SHIPPING_BITS = 2 | 4 | 16;
export const REACHED_PAYMENT_BITS = 4 | 16;
export const MIDDLE_BITS = 2 | 4;
