/**
 * The ONE registry of tables that hold project data. Every table with a `project_id` column is discovered from
 * `information_schema` at run time, so project deletion and visitor erasure cover new tables automatically; this
 * registry only says how each table ages (its retention class) and, where the default does not fit, how a visitor's
 * rows are found. `test/privacy/registry.test.ts` fails when a table with `project_id` is not listed here, so a new
 * table cannot silently escape retention.
 */
import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * How rows of a table expire:
 * - `events`: behaviour data and aggregates (heatmaps included), kept `settings.retention.eventsDays` after `timeColumn`;
 * - `recordings`: session-replay data, kept `settings.retention.recordingsDays` after `timeColumn`;
 * - `entity`: rows the other classes hang off (sessions, visitors), kept while either of the above may still refer
 *   to them: the longer of the two periods after `timeColumn` (their last activity);
 * - `fixed`: operational data kept a fixed number of days after `timeColumn`, across projects (privacy exports, job log);
 * - `never`: no event time (accounts, tokens, tombstones) or aged elsewhere (the inbox: `workers/sweeper.ts`).
 */
export type RetentionClass =
  | { kind: 'events'; timeColumn: string }
  | { kind: 'recordings'; timeColumn: string }
  | { kind: 'entity'; timeColumn: string }
  | { kind: 'fixed'; timeColumn: string; days: number }
  | { kind: 'never'; why: string };

/** How a visitor's rows are found in a table, for erasure and export. */
export type VisitorKey =
  /** rows whose `session_id` is one of the visitor's sessions (indexed on every event table) */
  | 'session_id'
  /** rows whose `visitor_id` is the visitor */
  | 'visitor_id'
  /** the `visitors` table itself: `id` is the visitor id */
  | 'id'
  /** raw inbox batches: the visitor id is inside the body (handled by `eraseInbox.ts`) */
  | 'inbox'
  /** holds no per-visitor data */
  | 'none';

export interface TableRule {
  retention: RetentionClass;
  /** Overrides the default key: `session_id` when the table has that column, else `visitor_id`, else none. */
  visitorKey?: VisitorKey;
  /**
   * Deleted in the final transaction of a project deletion, together with the project row: small tables that the
   * caller still needs while the job runs (its API token, its job row) or that must outlive the data (tombstones).
   */
  deleteLast?: boolean;
}

const EVENTS_TS: TableRule = { retention: { kind: 'events', timeColumn: 'ts' } };
const ACCOUNT: TableRule = { retention: { kind: 'never', why: 'account data: no event time' }, visitorKey: 'none', deleteLast: true };

/** Every table with a `project_id` column, by name. Tables listed here that do not exist yet are ignored. */
export const TABLE_RULES: Readonly<Record<string, TableRule>> = {
  inbox_batches: { retention: { kind: 'never', why: 'purged by the sweeper hours after processing' }, visitorKey: 'inbox' },
  visitors: { retention: { kind: 'entity', timeColumn: 'last_seen_at' }, visitorKey: 'id' },
  sessions: { retention: { kind: 'entity', timeColumn: 'ended_at' }, visitorKey: 'visitor_id' },
  page_views: { retention: { kind: 'events', timeColumn: 'started_at' } },
  clicks: EVENTS_TS,
  scrolls: EVENTS_TS,
  insights: EVENTS_TS,
  // What is normal per page of the site: no visitor data, recomputed by the analyzer, aged like an aggregate.
  insight_baselines: { retention: { kind: 'events', timeColumn: 'computed_at' }, visitorKey: 'none' },
  js_errors: EVENTS_TS,
  custom_tags: EVENTS_TS,
  custom_events: EVENTS_TS,
  checkout_events: EVENTS_TS,
  // The workers' per-checkout rollup: an aggregate, aged with the events after the checkout's last activity.
  checkouts: { retention: { kind: 'events', timeColumn: 'last_at' } },
  // Dashboard rollups (migration `rollups`): aggregates by local day. Session-level ones live as long as the
  // sessions they count; per-page and per-error ones as long as those events.
  session_rollups: { retention: { kind: 'entity', timeColumn: 'day' }, visitorKey: 'none' },
  visitor_rollups: { retention: { kind: 'entity', timeColumn: 'day' }, visitorKey: 'none' },
  visitor_days: { retention: { kind: 'entity', timeColumn: 'day' } },
  page_rollups: { retention: { kind: 'events', timeColumn: 'day' }, visitorKey: 'none' },
  error_rollups: { retention: { kind: 'events', timeColumn: 'day' }, visitorKey: 'none' },
  // Session replay.
  recording_chunks: { retention: { kind: 'recordings', timeColumn: 'ts' } },
  // Accounts: removed with the project, never aged.
  api_tokens: ACCOUNT,
  api_token_projects: ACCOUNT,
  memberships: ACCOUNT,
  invites: ACCOUNT,
  users: ACCOUNT,
  user_sessions: ACCOUNT,
  // Privacy operations themselves.
  identify_erasures: { retention: { kind: 'never', why: 'tombstones must keep blocking late batches' }, visitorKey: 'none', deleteLast: true },
  visitor_erasures: { retention: { kind: 'never', why: 'tombstones must keep blocking late batches' }, visitorKey: 'none', deleteLast: true },
  privacy_exports: { retention: { kind: 'fixed', timeColumn: 'expires_at', days: 0 }, visitorKey: 'none', deleteLast: true },
  privacy_jobs: { retention: { kind: 'fixed', timeColumn: 'finished_at', days: 90 }, visitorKey: 'none', deleteLast: true },
};

/** A discovered table and the columns privacy operations care about. */
export interface ProjectTable {
  name: string;
  columns: ReadonlySet<string>;
  /** The registry entry; undefined for a table the registry does not classify. */
  rule: TableRule | undefined;
  visitorKey: VisitorKey;
}

function defaultVisitorKey(columns: ReadonlySet<string>): VisitorKey {
  if (columns.has('session_id')) return 'session_id';
  if (columns.has('visitor_id')) return 'visitor_id';
  return 'none';
}

/**
 * Every base table of the current schema with a `project_id` column, with its rule, ordered so that a table
 * referencing another (foreign key) comes before it: deleting in this order never violates a constraint.
 */
export async function discoverProjectTables(sql: SqlRunner): Promise<ProjectTable[]> {
  const cols = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.table_name IN (SELECT table_name FROM information_schema.columns
                              WHERE table_schema = current_schema() AND column_name = 'project_id')`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const c of cols) {
    let set = byTable.get(c.table_name);
    if (!set) byTable.set(c.table_name, (set = new Set()));
    set.add(c.column_name);
  }
  const fks = await sql.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = k.connamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  const tables = [...byTable.entries()].map(([name, columns]): ProjectTable => {
    const rule = TABLE_RULES[name];
    return { name, columns, rule, visitorKey: rule?.visitorKey ?? defaultVisitorKey(columns) };
  });
  return orderChildrenFirst(tables, fks);
}

/** Topological order: children (referencing tables) before their parents; name order otherwise, for stable runs. */
export function orderChildrenFirst(tables: ProjectTable[], fks: readonly { child: string; parent: string }[]): ProjectTable[] {
  const sorted = [...tables].sort((a, b) => (a.name < b.name ? -1 : 1));
  const names = new Set(sorted.map((t) => t.name));
  const out: ProjectTable[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const byName = new Map(sorted.map((t) => [t.name, t]));
  const place = (t: ProjectTable): void => {
    if (placed.has(t.name) || visiting.has(t.name)) return; // a cycle is left to the database to report
    visiting.add(t.name);
    for (const fk of fks) {
      if (fk.parent === t.name && fk.child !== t.name && names.has(fk.child)) place(byName.get(fk.child)!);
    }
    visiting.delete(t.name);
    placed.add(t.name);
    out.push(t);
  };
  for (const t of sorted) place(t);
  return out;
}

/** Tables with `project_id` the registry does not classify: must be empty (a test enforces it). */
export const unclassifiedTables = (tables: readonly ProjectTable[]): string[] =>
  tables.filter((t) => t.rule === undefined).map((t) => t.name);

/** Double-quotes an identifier discovered from the catalog. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
