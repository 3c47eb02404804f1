/** `npm run bench:insights`: (a) detection quality against intent labels. */
import { runQuality } from './quality.ts';

const sessions = Number(process.env.BENCH_INSIGHT_SESSIONS ?? 20_000);
await runQuality(sessions);
