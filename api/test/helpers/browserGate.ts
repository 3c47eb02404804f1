/**
 * The one rule for whether a browser suite runs: every browser suite asks `browserGate` before launching Chromium.
 * - `LOUPE_SKIP_BROWSER=1` skips on purpose (CI's embedded pass: browser suites run once, in the PostgreSQL pass) and
 *   prints a line saying so.
 * - No Chromium: a developer's machine skips with the install hint, but under CI (`CI` set) the suite FAILS, so a
 *   CI machine without Chromium can never pass the browser suites by skipping them.
 */
import { existsSync } from 'node:fs';

/** The Chromium the suites drive (Debian's package by default). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser suites cannot run here: null when they can; throws when they must run (CI) and cannot. */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env, chromium = CHROMIUM): string | null {
  if (env.LOUPE_SKIP_BROWSER === '1') return 'LOUPE_SKIP_BROWSER=1 (CI runs browser suites once, in the PostgreSQL pass)';
  if (existsSync(chromium)) return null;
  const missing = `no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') throw new Error(`browser suites must run under CI: ${missing}`);
  return missing;
}

/** Skips the calling suite (printing why) when browser suites cannot run; throws under CI when Chromium is missing. */
export function browserGate(ctx: Mocha.Context, suite: string): void {
  const reason = browserSkipReason();
  if (reason === null) return;
  console.log(`      skipped browser suite "${suite}": ${reason}`);
  ctx.skip();
}
