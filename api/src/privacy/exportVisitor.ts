/**
 * Exports one visitor's data (by visitor id or identify hash) as a JSON document: the visitor's rows from every
 * table that holds per-visitor data, grouped by table, as the database stores them. The document is kept in
 * `privacy_exports` so any api replica can serve the download, and expires after `EXPORT_TTL_DAYS`. Idempotent:
 * a re-run rebuilds and replaces the document.
 */
import { saveVisitorExport } from '../queries/saveVisitorExport.ts';
import type { PrivacyContext } from './context.ts';
import { jobVisitorIds } from './eraseVisitor.ts';
import type { Progress } from './jobState.ts';
import type { PrivacyJob } from './jobTypes.ts';
import { discoverProjectTables, ident } from './tableRegistry.ts';
import { visitorHash } from './visitorHash.ts';
import { visitorScopes } from './visitorScope.ts';

/** Exports hold personal data: they are deleted this many days after they are built. */
export const EXPORT_TTL_DAYS = 7;
/** Format marker of the document, for readers of old exports. */
export const EXPORT_FORMAT = 'loupe.visitor-export.v1';

export interface ExportVisitorResult {
  visitorIds: string[];
  /** Set when the visitor was erased before the export finished: no document is kept. */
  erased?: true;
  /** Rows exported per table. */
  tables: Record<string, number>;
  bytes: number;
  expiresAt: string;
}

export async function exportVisitor(ctx: PrivacyContext, job: PrivacyJob, progress: Progress): Promise<ExportVisitorResult> {
  const { sql } = ctx;
  const projectId = job.projectId!;
  const erased: ExportVisitorResult = { visitorIds: [], erased: true, tables: {}, bytes: 0, expiresAt: new Date().toISOString() };
  if (job.params.erased === true) return erased;
  const visitorIds = await jobVisitorIds(ctx, job);
  const scopes = visitorIds.length ? await visitorScopes(sql, projectId, visitorIds, await discoverProjectTables(sql)) : [];
  await progress.begin(scopes.length);
  const counts: Record<string, number> = {};
  const parts: string[] = [];
  for (const s of scopes) {
    // row_to_json as text: the database writes each row's JSON once, bigints stay exact, nothing is re-parsed here.
    const rows = await sql.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM ${ident(s.table)} t WHERE ${s.filter.where}`,
      s.filter.params,
    );
    counts[s.table] = rows.length;
    parts.push(`${JSON.stringify(s.table)}:[${rows.map((r) => r.row).join(',')}]`);
    await progress.add(1);
  }
  const head = { format: EXPORT_FORMAT, projectId, visitorIds, exportedAt: new Date().toISOString() };
  const document = `${JSON.stringify(head).slice(0, -1)},"tables":{${parts.join(',')}}}`;
  const expiresAt = await saveVisitorExport(sql, { jobId: job.id, projectId, document, ttlDays: EXPORT_TTL_DAYS });
  // An erasure that ran meanwhile may have missed this document: check its tombstones after saving.
  const [tomb] = await sql.query('SELECT 1 FROM visitor_erasures WHERE project_id = $1 AND visitor_hash = ANY($2::text[]) LIMIT 1', [
    projectId,
    visitorIds.map(visitorHash),
  ]);
  if (tomb) {
    await sql.query('DELETE FROM privacy_exports WHERE job_id = $1', [job.id]);
    return erased;
  }
  return { visitorIds, tables: counts, bytes: Buffer.byteLength(document), expiresAt: expiresAt.toISOString() };
}
