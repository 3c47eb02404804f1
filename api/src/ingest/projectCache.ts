import { parseProjectSettings, type ProjectSettings } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';
import { ipMatcher } from './ipRanges.ts';

/** What ingest and workers need to know about a project, cached briefly. */
export interface ProjectInfo {
  id: string;
  ingestKey: string;
  disabled: boolean;
  /** A deletion was requested: ingest answers 410 and workers drop its batches. */
  deleted: boolean;
  settings: ProjectSettings;
  /** Origins that may send data: the settings' list plus every project domain and its subdomains. */
  allowedOrigins: readonly string[];
  isInternalIp: (ip: string | undefined) => boolean;
}

interface Row {
  id: string;
  ingest_key: string;
  disabled_at: Date | null;
  deleted_at: Date | null;
  settings: unknown;
  domains: string[] | null;
}

/**
 * Caches project lookups for `ttlMs` (settings changes reach ingest within that time). Unknown keys are cached
 * too, so a flood of requests with a bad key costs one query per TTL.
 */
export class ProjectCache {
  private readonly byKey = new Map<string, { at: number; info: ProjectInfo | null }>();
  private readonly byId = new Map<string, { at: number; info: ProjectInfo | null }>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly ttlMs = 10_000,
  ) {}

  async byIngestKey(key: string): Promise<ProjectInfo | null> {
    return this.lookup(this.byKey, key, 'ingest_key', this.sql);
  }

  /** `via` lets a caller inside a transaction look up on its own connection (PGlite has only one). */
  async byProjectId(id: string, via: SqlRunner = this.sql): Promise<ProjectInfo | null> {
    return this.lookup(this.byId, id, 'id', via);
  }

  /** Forget a project (after a settings change in this process). */
  invalidate(): void {
    this.byKey.clear();
    this.byId.clear();
  }

  private async lookup(
    cache: Map<string, { at: number; info: ProjectInfo | null }>,
    value: string,
    column: 'id' | 'ingest_key',
    via: SqlRunner,
  ): Promise<ProjectInfo | null> {
    const now = Date.now();
    const hit = cache.get(value);
    if (hit && now - hit.at < this.ttlMs) return hit.info;
    // After a rotation the previous key keeps working until its grace period ends (checked on each cache miss).
    const where =
      column === 'id'
        ? 'id = $1'
        : 'ingest_key = $1 OR (previous_ingest_key = $1 AND previous_ingest_key_expires_at > now())';
    const [row] = await via.query<Row>(
      `SELECT id, ingest_key, disabled_at, deleted_at, settings, domains FROM projects WHERE ${where}`,
      [value],
    );
    const info = row ? toInfo(row) : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(value, { at: now, info });
    return info;
  }
}

function toInfo(row: Row): ProjectInfo {
  const raw = typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings;
  const settings = parseProjectSettings(raw);
  return {
    id: row.id,
    ingestKey: row.ingest_key,
    disabled: row.disabled_at !== null,
    deleted: row.deleted_at !== null,
    settings,
    allowedOrigins: [...settings.allowedOrigins, ...(row.domains ?? []).map((d) => `*.${d}`)],
    isInternalIp: ipMatcher(settings.internalIpRanges),
  };
}
