/**
 * Runs one privacy job by id: the queue message carries nothing else, the state is reloaded from `privacy_jobs`.
 * Safe to run twice and after a crash: a done or failed job is left alone, an interrupted one resumes (every use
 * case is idempotent and its progress carries on).
 */
import { applyRetention } from './applyRetention.ts';
import type { PrivacyContext } from './context.ts';
import { deleteProjectData } from './deleteProjectData.ts';
import { eraseVisitor } from './eraseVisitor.ts';
import { exportVisitor } from './exportVisitor.ts';
import { finishJob, JobInterrupted, Progress, recordFailure, requeueJob, startJob } from './jobState.ts';
import type { PrivacyJob, PrivacyJobKind } from './jobTypes.ts';

type Handler = (ctx: PrivacyContext, job: PrivacyJob, progress: Progress) => Promise<unknown>;

/** Every kind but retention works on one project. */
const PROJECT_KINDS: ReadonlySet<PrivacyJobKind> = new Set(['delete_project', 'erase_visitor', 'export_visitor']);

const HANDLERS: Record<PrivacyJobKind, Handler> = {
  delete_project: (ctx, job, progress) => deleteProjectData(ctx, job.projectId!, progress),
  erase_visitor: (ctx, job, progress) => eraseVisitor(ctx, job, progress),
  export_visitor: (ctx, job, progress) => exportVisitor(ctx, job, progress),
  retention: (ctx, _job, progress) => applyRetention(ctx, progress),
};

export interface Attempt {
  /** Earlier failed attempts of this queue message. */
  attemptsMade: number;
  /** Attempts the queue makes in all; the last failure marks the job failed. */
  maxAttempts: number;
}

/**
 * Runs the job if it is queued or was interrupted; records the result, or the error (and rethrows it so the queue
 * retries with backoff). Returns false when there was nothing to do, or when shutdown interrupted it.
 */
export async function runPrivacyJob(ctx: PrivacyContext, jobId: string, attempt?: Attempt): Promise<boolean> {
  const job = await startJob(ctx.sql, jobId);
  if (!job) return false;
  const handler = HANDLERS[job.kind];
  const log = ctx.logger.child({ privacyJob: job.id, kind: job.kind, projectId: job.projectId });
  try {
    if (!handler) throw new Error(`unknown privacy job kind ${job.kind}`);
    if (PROJECT_KINDS.has(job.kind) && !job.projectId) throw new Error(`privacy job ${job.id} (${job.kind}) has no project`);
    const progress = new Progress(ctx.sql, job.id, { done: job.progressDone }, ctx.afterStep, ctx.signal);
    const result = await handler({ ...ctx, logger: log }, job, progress);
    await finishJob(ctx.sql, job.id, result);
    log.info('privacy job done');
    return true;
  } catch (err) {
    if (err instanceof JobInterrupted) {
      // Shutdown, not failure: hand the job back; any worker's scheduler re-enqueues queued jobs within a minute.
      await requeueJob(ctx.sql, job.id);
      log.info('privacy job interrupted by shutdown; handed back');
      return false;
    }
    const final = attempt ? attempt.attemptsMade + 1 >= attempt.maxAttempts : false;
    const message = err instanceof Error ? err.message : String(err);
    log.error({ err, final }, 'privacy job failed');
    await recordFailure(ctx.sql, job.id, message, final).catch((e: unknown) => log.error({ err: e }, 'recording the failure failed'));
    throw err;
  }
}
