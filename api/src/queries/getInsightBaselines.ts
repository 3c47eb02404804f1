import type { SqlRunner } from '@loupe/prisma/sql';
import type { Baseline, Baselines } from '../insights/types.ts';

/** A project's baselines (see refreshInsightBaselines) and when they were computed (null: never). */
export async function getInsightBaselines(sql: SqlRunner, projectId: string): Promise<{ baselines: Baselines; computedAt: Date | null }> {
  const rows = await sql.query<{
    url: string; samples: number; reversals_median: number; reversals_mad: number; speed_median: number; speed_mad: number;
    dwell_median_ms: number; computed_at: Date;
  }>('SELECT * FROM insight_baselines WHERE project_id = $1', [projectId]);
  const byUrl = new Map<string, Baseline>();
  let site: Baseline | null = null;
  let computedAt: Date | null = null;
  for (const r of rows) {
    const b: Baseline = {
      samples: r.samples, reversalsMedian: r.reversals_median, reversalsMad: r.reversals_mad,
      speedMedian: r.speed_median, speedMad: r.speed_mad, dwellMedianMs: r.dwell_median_ms,
    };
    if (r.url === '') site = b;
    else byUrl.set(r.url, b);
    computedAt = new Date(r.computed_at);
  }
  return { baselines: { site, byUrl }, computedAt };
}
