/**
 * Deletes a project irrecoverably: marks it deleted (ingest refuses its key, workers drop its batches), deletes
 * every row of every table with a `project_id` column in bounded batches, then — in one last transaction — the
 * small `deleteLast` tables (tokens, memberships, tombstones, exports, the project's privacy jobs including this
 * one) and the project row. Resumable: a re-run after a crash finds fewer rows and carries on; after completion
 * the job row is gone, so a late duplicate message is a no-op.
 */
import { countRows, deleteInBatches, type RowFilter } from './batchDelete.ts';
import type { PrivacyContext } from './context.ts';
import type { Progress } from './jobState.ts';
import { discoverProjectTables, ident } from './tableRegistry.ts';
import { markProjectDeleted } from '../queries/markProjectDeleted.ts';

export interface DeleteProjectResult {
  /** Rows deleted per table by this run. */
  tables: Record<string, number>;
}

export async function deleteProjectData(ctx: PrivacyContext, projectId: string, progress: Progress): Promise<DeleteProjectResult> {
  const { sql } = ctx;
  // Normally already marked by the request; done again so a job created any other way is safe too.
  await sql.transaction((tx) => markProjectDeleted(tx, projectId));
  const tables = await discoverProjectTables(sql);
  const bulk = tables.filter((t) => !t.rule?.deleteLast);
  const last = tables.filter((t) => t.rule?.deleteLast);
  const filter: RowFilter = { where: 'project_id = $1', params: [projectId] };

  let remaining = 0;
  for (const t of bulk) remaining += await countRows(sql, t.name, filter);
  await progress.begin(remaining);
  const deleted: Record<string, number> = {};
  for (const t of bulk) {
    deleted[t.name] = await deleteInBatches(sql, t.name, filter, (n) => progress.add(n), ctx.batchSize);
  }

  await sql.transaction(async (tx) => {
    for (const t of last) {
      const [row] = await tx.query<{ n: number }>(
        `WITH gone AS (DELETE FROM ${ident(t.name)} WHERE project_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [projectId],
      );
      deleted[t.name] = row?.n ?? 0;
    }
    await tx.query('DELETE FROM projects WHERE id = $1', [projectId]);
  });
  // The job row went with the project: the log is the record.
  ctx.logger.info({ projectId, deleted }, 'project deleted');
  return { tables: deleted };
}
