/**
 * The scheduled retention run: for every project (not being deleted), deletes rows older than its settings allow
 * — `events` tables after `retention.eventsDays`, `recordings` tables after `retention.recordingsDays`, `entity`
 * tables (sessions, visitors) once both have passed — and, across projects, `fixed` operational rows (expired
 * exports, old job records). In bounded batches; idempotent (what is expired stays expired), so a re-run after a
 * crash simply deletes what is left. Tables the registry does not classify are skipped and logged.
 */
import type { ProjectSettings } from '@loupe/contract';
import { listRetentionProjects } from '../queries/listRetentionProjects.ts';
import { countRows, deleteInBatches, type RowFilter } from './batchDelete.ts';
import type { PrivacyContext } from './context.ts';
import type { Progress } from './jobState.ts';
import { discoverProjectTables, ident, unclassifiedTables, type ProjectTable } from './tableRegistry.ts';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  projects: number;
  /** Rows deleted per table. */
  tables: Record<string, number>;
  /** Tables with project_id the registry does not classify (skipped). */
  unclassified: string[];
}

interface Step {
  table: string;
  filter: RowFilter;
}

/** Rows of `table` older than `cutoff` by the rule's time column, for one project. */
const projectStep = (t: ProjectTable, column: string, projectId: string, cutoff: Date): Step => ({
  table: t.name,
  filter: { where: `project_id = $1 AND ${ident(column)} < $2`, params: [projectId, cutoff.toISOString()] },
});

/** The cutoff of a table for a project's settings, or null when the table does not age per project. */
export function projectCutoff(t: ProjectTable, settings: ProjectSettings, now: Date): { column: string; cutoff: Date } | null {
  const r = t.rule?.retention;
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  switch (r?.kind) {
    case 'events':
      return { column: r.timeColumn, cutoff: ago(settings.retention.eventsDays) };
    case 'recordings':
      return { column: r.timeColumn, cutoff: ago(settings.retention.recordingsDays) };
    case 'entity':
      return { column: r.timeColumn, cutoff: ago(Math.max(settings.retention.eventsDays, settings.retention.recordingsDays)) };
    default:
      return null;
  }
}

export async function applyRetention(ctx: PrivacyContext, progress: Progress, now = new Date()): Promise<RetentionResult> {
  const { sql } = ctx;
  const tables = await discoverProjectTables(sql);
  const unclassified = unclassifiedTables(tables);
  if (unclassified.length) ctx.logger.error({ tables: unclassified }, 'tables with project_id missing from the privacy registry: not aged');

  const steps: Step[] = [];
  const projects = await listRetentionProjects(sql);
  for (const p of projects) {
    for (const t of tables) {
      const c = projectCutoff(t, p.settings, now);
      if (c) steps.push(projectStep(t, c.column, p.id, c.cutoff));
    }
  }
  for (const t of tables) {
    const r = t.rule?.retention;
    if (r?.kind !== 'fixed') continue;
    const cutoff = new Date(now.getTime() - r.days * DAY_MS);
    steps.push({ table: t.name, filter: { where: `${ident(r.timeColumn)} < $1`, params: [cutoff.toISOString()] } });
  }

  let remaining = 0;
  for (const s of steps) remaining += await countRows(sql, s.table, s.filter);
  await progress.begin(remaining);
  const deleted: Record<string, number> = {};
  for (const s of steps) {
    const n = await deleteInBatches(sql, s.table, s.filter, (k) => progress.add(k), ctx.batchSize);
    deleted[s.table] = (deleted[s.table] ?? 0) + n;
  }
  return { projects: projects.length, tables: deleted, unclassified };
}
