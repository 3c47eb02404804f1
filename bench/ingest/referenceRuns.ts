/**
 * The reference phase: the workload's final rows built in memory, then the bare unnest INSERT (and, for
 * information, a bare COPY) timed into a freshly migrated database — PostgreSQL, or PGlite for the embedded phase.
 */
import { PGlite } from '@electric-sql/pglite';
import { parseProjectSettings } from '@loupe/contract';
import pg from 'pg';
import { applyMigrations } from '../../prisma/migrations.ts';
import { pgliteRunner } from '../../api/src/db/pgliteRunner.ts';
import { pgRunner } from '../../api/src/db/pgRunner.ts';
import { EVENTS_PER_BATCH, RUNS, SEED } from './config.ts';
import { progress } from './lifecycle.ts';
import { ORIGIN } from './loadgen.ts';
import type { RunResult } from './pipelineRun.ts';
import { buildReferenceRows, REFERENCE_TABLES, timeCopy, timeUnnest, type ReferenceRows } from './reference.ts';
import { fmtInt } from './util.ts';
import { buildBatches, encodeBody } from './workload.ts';

/** The PostgreSQL reference database, migrated once; each call truncates it and times one bare load of the rows. */
export interface PgReference {
  /** One bare unnest INSERT of the reference rows (2 connections); event rows/s. */
  unnest(): Promise<number>;
  /** One bare COPY of the same rows (2 connections); event rows/s. */
  copy(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens the reference database (migrating it) for runs of the bare loads. The bench interleaves the unnest runs with
 * the pipeline's saturation runs, so that each pipeline run has a reference run measured moments before it.
 */
export async function openPgReference(url: string, ref: ReferenceRows): Promise<PgReference> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  await applyMigrations(pgRunner(pool));
  const clients = [await pool.connect(), await pool.connect()];
  for (const c of clients) c.on('error', () => undefined);
  const truncate = async () => {
    await clients[0]!.query(`TRUNCATE ${REFERENCE_TABLES.join(', ')}`);
    await clients[0]!.query('CHECKPOINT').catch(() => undefined);
  };
  const runs = { unnest: 0, copy: 0 };
  const timed = async (kind: 'unnest' | 'copy'): Promise<number> => {
    const n = ++runs[kind];
    progress.set(`reference (PostgreSQL): bare ${kind === 'unnest' ? 'unnest INSERT' : 'COPY'} ${n}`);
    await truncate();
    const s = kind === 'unnest' ? await timeUnnest(clients, ref) : await timeCopy(clients, ref);
    await verifyCounts(clients[0]!, ref);
    const rate = ref.eventRows / s;
    progress.log(`reference ${kind} run ${n}: ${fmtInt(rate)} event rows/s (${s.toFixed(2)} s, all ${REFERENCE_TABLES.length} tables)`);
    return rate;
  };
  return {
    unnest: () => timed('unnest'),
    copy: () => timed('copy'),
    async close() {
      for (const c of clients) c.release();
      await pool.end();
    },
  };
}

async function verifyCounts(pool: pg.ClientBase, ref: ReferenceRows): Promise<void> {
  for (const t of REFERENCE_TABLES) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
    const n = rows[0]!.n;
    if (n !== ref.rowsByTable[t]) throw new Error(`reference: ${t} holds ${n} rows, expected ${ref.rowsByTable[t]}`);
  }
}

/** Times `RUNS` bare unnest INSERTs of the reference rows, each into a fresh PGlite. Returns event rows/s per run. */
export async function referencePglite(ref: ReferenceRows): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    progress.set(`reference (PGlite): bare unnest INSERT ${i + 1}/${RUNS}`);
    const db = new PGlite();
    try {
      await db.waitReady;
      const sql = pgliteRunner(db);
      await applyMigrations(sql);
      const s = await timeUnnest([{ query: (q, p) => sql.query(q, p) }], ref);
      out.push(ref.eventRows / s);
      progress.log(`PGlite reference unnest run ${i + 1}: ${fmtInt(ref.eventRows / s)} event rows/s (${s.toFixed(2)} s)`);
    } finally {
      await db.close();
    }
  }
  return out;
}

/** The final rows of the workload the measured runs send (same seed, same batch shape), built in memory. */
export function referenceRows(batches: number): ReferenceRows {
  const bodies = buildBatches({ projectKey: 'pk_reference_0000000000', batches, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED }).map(encodeBody);
  return buildReferenceRows(bodies, 'prj_reference', parseProjectSettings({ allowedOrigins: [ORIGIN] }));
}

/** `null` if the run stored as many rows as the reference in every table, else the differing counts. */
export function checkSameRows(r: RunResult, ref: ReferenceRows): string | null {
  const diff = REFERENCE_TABLES.filter((t) => r.rowsByTable[t] !== ref.rowsByTable[t]);
  return diff.length === 0 ? null : diff.map((t) => `${t} ${r.rowsByTable[t]} vs ${ref.rowsByTable[t]}`).join(', ');
}
