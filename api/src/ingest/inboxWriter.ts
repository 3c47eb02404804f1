import type { SqlRunner } from '@loupe/prisma/sql';

/** One accepted batch on its way into `inbox_batches`. */
export interface InboxRow {
  projectId: string;
  sessionId: string;
  pageViewId: string;
  seq: number;
  body: string;
  userAgent: string | null;
}

export interface InboxWriteResult {
  /** Inbox row id; for a duplicate, the id is unknown here and null. */
  id: string | null;
  duplicate: boolean;
}

interface Pending {
  row: InboxRow;
  resolve: (r: InboxWriteResult) => void;
  reject: (err: unknown) => void;
}

export interface InboxWriterOptions {
  /** Most rows per INSERT. */
  maxBatch: number;
  /** INSERTs in flight at once. */
  concurrency: number;
  /** Called after each commit with the ids of the rows it created (to enqueue processing). */
  onCommitted: (ids: string[]) => void;
}

/**
 * Multi-row VALUES with one plain text parameter per value: the bodies (kilobytes each) go over the wire as they
 * are, where array parameters would be escaped by the client and parsed again by the server.
 */
function insertSql(rows: number): string {
  const tuples: string[] = [];
  for (let i = 0; i < rows; i++) {
    const o = i * 6;
    tuples.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::int, $${o + 5}, $${o + 6})`);
  }
  return `INSERT INTO inbox_batches (project_id, session_id, page_view_id, seq, body, user_agent)
VALUES ${tuples.join(', ')}
ON CONFLICT (project_id, session_id, page_view_id, seq) DO NOTHING
RETURNING id::text AS id, project_id, session_id, page_view_id, seq`;
}

const keyOf = (r: { projectId: string; sessionId: string; pageViewId: string; seq: number }): string =>
  `${r.projectId}\u0000${r.sessionId}\u0000${r.pageViewId}\u0000${r.seq}`;

/**
 * Group commit for the inbox: a write resolves only once its row is committed, but concurrent writes share one
 * set-based INSERT. With fewer than `concurrency` INSERTs running a write goes out at once (no added latency at
 * low load); otherwise it waits for a running INSERT to finish and leaves with everything that queued meanwhile.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly sql: SqlRunner,
    private readonly opts: InboxWriterOptions,
  ) {}

  write(row: InboxRow): Promise<InboxWriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when every accepted write has committed or failed (graceful shutdown). */
  async flushed(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      this.inFlight++;
      // One event-loop turn first, so requests whose bodies already arrived join this INSERT. Without it an
      // in-process database (PGlite) answers before the next request is even read, and no group ever forms.
      setImmediate(() => {
        const group = this.queue.splice(0, this.opts.maxBatch);
        void this.commit(group).finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idle.splice(0)) done();
        });
      });
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    if (group.length === 0) return;
    const params: (string | number | null)[] = [];
    for (const { row } of group) params.push(row.projectId, row.sessionId, row.pageViewId, row.seq, row.body, row.userAgent);
    let inserted: { id: string; project_id: string; session_id: string; page_view_id: string; seq: number }[];
    try {
      inserted = await this.sql.query(insertSql(group.length), params);
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    const ids = new Map<string, string>();
    for (const r of inserted) {
      ids.set(keyOf({ projectId: r.project_id, sessionId: r.session_id, pageViewId: r.page_view_id, seq: r.seq }), r.id);
    }
    for (const p of group) {
      const id = ids.get(keyOf(p.row));
      // A second copy of the same batch inside one INSERT is skipped by ON CONFLICT: only the first gets the id.
      if (id !== undefined) ids.delete(keyOf(p.row));
      p.resolve({ id: id ?? null, duplicate: id === undefined });
    }
    if (inserted.length > 0) {
      try {
        this.opts.onCommitted(inserted.map((r) => r.id));
      } catch {
        // Enqueueing is best effort: the sweeper finds committed rows whose job was lost.
      }
    }
  }
}
