/** ISO 4217 minor-unit exponents that differ from 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Minor-unit digits of a currency (2 unless ISO 4217 says otherwise). */
export const currencyExponent = (currency: string): number => EXPONENTS[currency] ?? 2;

/**
 * Converts a JSON number in major units to integer minor units, once, at ingest. Rounding: to 12 significant
 * digits first (removes binary noise: 19.99 × 100 = 1998.9999… → 1999), then half away from zero.
 * Returns null for values that are not finite or too large to be exact.
 */
export function toMinorUnits(value: number, currency: string): bigint | null {
  if (!Number.isFinite(value)) return null;
  const scaled = Number((value * 10 ** currencyExponent(currency)).toPrecision(12));
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  if (!Number.isSafeInteger(rounded)) return null;
  return BigInt(rounded);
}
