/**
 * Erases one visitor (by visitor id, or every visitor id that identified with a hash) from a project: inbox batches,
 * rows of every table reached through `visitor_id` or the visitor's sessions, the sessions and the visitor row,
 * and earlier exports of the visitor. A tombstone is written first, so a batch still in the inbox, arriving later,
 * or re-enqueued by the sweeper is dropped by the workers instead of recreating rows. Resumable and idempotent:
 * the visitor ids are resolved once and saved in the job's params; tables are emptied in an order that keeps
 * what later steps look up (sessions last but one).
 */
import { insertVisitorErasures } from '../queries/insertVisitorErasures.ts';
import { unjudgeVisitorSessions } from '../queries/unjudgeVisitorSessions.ts';
import { countRows, deleteInBatches } from './batchDelete.ts';
import type { PrivacyContext } from './context.ts';
import { saveParams, type Progress } from './jobState.ts';
import type { PrivacyJob, VisitorSelector } from './jobTypes.ts';
import { discoverProjectTables } from './tableRegistry.ts';
import { resolveVisitorIds, visitorScopes } from './visitorScope.ts';

export interface EraseVisitorResult {
  /** Visitor ids erased (an identify hash may name several devices); the ids themselves are not kept. */
  visitors: number;
  /** Rows deleted per table by this run. */
  tables: Record<string, number>;
}

/** The selector a job was created with. */
export function jobSelector(job: PrivacyJob): VisitorSelector {
  const p = job.params;
  if (typeof p.visitorId === 'string') return { visitorId: p.visitorId };
  if (typeof p.identifyHash === 'string') return { identifyHash: p.identifyHash };
  throw new Error(`privacy job ${job.id} has neither visitorId nor identifyHash`);
}

/** Visitor ids saved by an earlier run of this job, or resolved now and saved. */
export async function jobVisitorIds(ctx: PrivacyContext, job: PrivacyJob): Promise<string[]> {
  const saved = job.params.visitorIds;
  if (Array.isArray(saved)) return saved.filter((v): v is string => typeof v === 'string');
  const ids = await resolveVisitorIds(ctx.sql, job.projectId!, jobSelector(job));
  await saveParams(ctx.sql, job.id, { ...job.params, visitorIds: ids });
  return ids;
}

export async function eraseVisitor(ctx: PrivacyContext, job: PrivacyJob, progress: Progress): Promise<EraseVisitorResult> {
  const { sql } = ctx;
  const projectId = job.projectId!;
  // A re-run after the last step (the job row was scrubbed, then the worker died before marking it done).
  if (typeof job.params.erasedVisitors === 'number') return { visitors: job.params.erasedVisitors, tables: {} };
  const visitorIds = await jobVisitorIds(ctx, job);
  const deleted: Record<string, number> = {};
  const selector = jobSelector(job);
  // Before any delete: from here on, workers drop these visitors' batches (and new devices with this identify hash).
  await insertVisitorErasures(sql, { projectId, visitorIds, jobId: job.id, ...('identifyHash' in selector ? { identifyHash: selector.identifyHash } : {}) });
  if (visitorIds.length > 0) {
    // Out of the rollups first, while the events the rollup triggers read are still there.
    await unjudgeVisitorSessions(sql, projectId, visitorIds);
    const scopes = await visitorScopes(sql, projectId, visitorIds, await discoverProjectTables(sql));
    let remaining = 0;
    for (const s of scopes) remaining += await countRows(sql, s.table, s.filter);
    await progress.begin(remaining);
    for (const s of scopes) {
      deleted[s.table] = await deleteInBatches(sql, s.table, s.filter, (n) => progress.add(n), ctx.batchSize);
    }
    deleted.privacy_exports = await forgetExports(ctx, projectId, visitorIds);
  } else {
    await progress.begin(0);
  }
  // Last: the job row itself stops naming the visitor (ids and identify hash); tombstones keep only hashes.
  await saveParams(sql, job.id, { erasedVisitors: visitorIds.length });
  return { visitors: visitorIds.length, tables: deleted };
}

/** Earlier exports of these visitors hold the same personal data: their documents go, their job rows are scrubbed. */
async function forgetExports(ctx: PrivacyContext, projectId: string, visitorIds: readonly string[]): Promise<number> {
  const jobs = await ctx.sql.query<{ id: string }>(
    `UPDATE privacy_jobs SET params = '{"erased": true}'::jsonb, result = NULL, updated_at = now()
      WHERE project_id = $1 AND kind = 'export_visitor'
        AND (params->'visitorIds' ?| $2::text[] OR params->>'visitorId' = ANY($2::text[]))
      RETURNING id`,
    [projectId, visitorIds],
  );
  if (jobs.length === 0) return 0;
  const gone = await ctx.sql.query('DELETE FROM privacy_exports WHERE project_id = $1 AND job_id = ANY($2::text[]) RETURNING 1', [
    projectId,
    jobs.map((j) => j.id),
  ]);
  return gone.length;
}
