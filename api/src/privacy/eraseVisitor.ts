/**
 * Erases one visitor (by visitor id, or every visitor id that identified with a hash) from a project: inbox batches,
 * rows of every table reached through `visitor_id` or the visitor's sessions, the sessions and the visitor row,
 * and earlier exports of the visitor. A tombstone is written first, so a batch still in the inbox, arriving later,
 * or re-enqueued by the sweeper is dropped by the workers instead of recreating rows. Resumable and idempotent:
 * the visitor ids are resolved once and saved in the job's params; tables are emptied in an order that keeps
 * what later steps look up (sessions last but one).
 */
import { insertVisitorErasures } from '../queries/insertVisitorErasures.ts';
import { countRows, deleteInBatches } from './batchDelete.ts';
import type { PrivacyContext } from './context.ts';
import { saveParams, type Progress } from './jobState.ts';
import type { PrivacyJob, VisitorSelector } from './jobTypes.ts';
import { discoverProjectTables } from './tableRegistry.ts';
import { resolveVisitorIds, visitorScopes } from './visitorScope.ts';

export interface EraseVisitorResult {
  visitorIds: string[];
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
  const visitorIds = await jobVisitorIds(ctx, job);
  const deleted: Record<string, number> = {};
  if (visitorIds.length === 0) {
    await progress.begin(0);
    return { visitorIds, tables: deleted };
  }
  await insertVisitorErasures(sql, projectId, visitorIds, job.id);

  const scopes = await visitorScopes(sql, projectId, visitorIds, await discoverProjectTables(sql));
  let remaining = 0;
  for (const s of scopes) remaining += await countRows(sql, s.table, s.filter);
  await progress.begin(remaining);
  for (const s of scopes) {
    deleted[s.table] = await deleteInBatches(sql, s.table, s.filter, (n) => progress.add(n), ctx.batchSize);
  }
  // Exports of this visitor hold the same personal data.
  const exports = await sql.query<{ job_id: string }>(
    `DELETE FROM privacy_exports WHERE project_id = $1 AND job_id IN (
       SELECT id FROM privacy_jobs WHERE project_id = $1 AND kind = 'export_visitor'
          AND (params->'visitorIds' ?| $2::text[] OR params->>'visitorId' = ANY($2::text[]))) RETURNING job_id`,
    [projectId, visitorIds],
  );
  deleted.privacy_exports = exports.length;
  return { visitorIds, tables: deleted };
}
