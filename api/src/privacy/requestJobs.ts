/**
 * What the privacy routes call: validate, record the job, enqueue it. The work itself runs in a worker
 * (`runPrivacyJob.ts`); a lost queue message is re-enqueued by the scheduler, so the row is what counts.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import { createPrivacyJob } from '../queries/createPrivacyJob.ts';
import { findActiveProjectDeletion } from '../queries/findActiveProjectDeletion.ts';
import { markProjectDeleted } from '../queries/markProjectDeleted.ts';
import type { JobQueue } from '../queue/types.ts';
import { hashIdentifyId, readIdentifySalt } from './identifyHash.ts';
import { parseVisitorSelector, type PrivacyJob, type PrivacyQueueMessage, type VisitorSelector, type VisitorSelectorBody, type VisitorSelectorInput } from './jobTypes.ts';
import { enqueuePrivacyJob } from './privacyWorker.ts';

export interface RequestDeps {
  sql: SqlRunner;
  privacyQueue: JobQueue<PrivacyQueueMessage>;
  logger: Logger;
  /** Forgets cached projects in this process, so ingest refuses a deleted project's key at once. */
  invalidateProjects(): void;
}

interface ProjectRow {
  id: string;
  name: string;
  deleted_at: Date | null;
}

async function loadProject(sql: SqlRunner, projectId: string): Promise<ProjectRow> {
  const [p] = await sql.query<ProjectRow>('SELECT id, name, deleted_at FROM projects WHERE id = $1', [projectId]);
  if (!p) throw new HttpError(404, 'not_found', 'no such project');
  return p;
}

async function enqueue(deps: RequestDeps, job: PrivacyJob): Promise<void> {
  await enqueuePrivacyJob(deps.privacyQueue, job.id).catch((err: unknown) => {
    // The row is durable; the scheduler re-enqueues jobs whose message never arrived.
    deps.logger.warn({ err, privacyJob: job.id }, 'enqueueing a privacy job failed; the scheduler will retry it');
  });
}

/**
 * Requests the irrecoverable deletion of a project. `confirm` must be the project's name or id. Marks the project
 * deleted at once (ingest answers 410 for its key, workers drop its batches) and returns the deletion job; a
 * repeated request returns the job already under way.
 */
export async function requestProjectDeletion(
  deps: RequestDeps,
  projectId: string,
  confirm: string | undefined,
  requestedBy: string | null,
): Promise<PrivacyJob> {
  const project = await loadProject(deps.sql, projectId);
  if (confirm === undefined || (confirm !== project.name && confirm !== project.id)) {
    throw new HttpError(
      400,
      'confirmation_required',
      'deleting a project is irrecoverable: send {"confirm": "<project name or id>"} with its exact name or id',
      { field: 'confirm' },
    );
  }
  const job = await deps.sql.transaction(async (tx) => {
    await markProjectDeleted(tx, projectId);
    return (
      (await findActiveProjectDeletion(tx, projectId)) ??
      (await createPrivacyJob(tx, { projectId, kind: 'delete_project', params: {}, requestedBy }))!
    );
  });
  deps.invalidateProjects();
  await enqueue(deps, job);
  return job;
}

/** Turns a request's selector into what a job stores: a raw identify id is hashed with the project's salt. */
export async function resolveSelector(sql: SqlRunner, projectId: string, input: VisitorSelectorInput): Promise<VisitorSelector> {
  if ('visitorId' in input) return { visitorId: input.visitorId };
  if ('identifyHash' in input) return { identifyHash: input.identifyHash };
  const salt = await readIdentifySalt(sql, projectId);
  if (!salt) {
    throw new HttpError(400, 'identify_salt_unavailable', 'this project has no identify salt: send the identifyHash the tracker sent instead', {
      field: 'identifyId',
    });
  }
  return { identifyHash: hashIdentifyId(salt, input.identifyId) };
}

/** Requests the erasure or the export of one visitor's data; the project must exist and not be being deleted. */
export async function requestVisitorJob(
  deps: RequestDeps,
  projectId: string,
  kind: 'erase_visitor' | 'export_visitor',
  body: VisitorSelectorBody | undefined,
  requestedBy: string | null,
): Promise<PrivacyJob> {
  const input = parseVisitorSelector(body);
  if (!input) {
    throw new HttpError(400, 'invalid_body', 'send exactly one of visitorId, identifyHash or identifyId', { field: 'body' });
  }
  const project = await loadProject(deps.sql, projectId);
  if (project.deleted_at) throw new HttpError(410, 'project_deleted', 'this project is being deleted');
  const selector = await resolveSelector(deps.sql, projectId, input);
  const job = (await createPrivacyJob(deps.sql, { projectId, kind, params: selector, requestedBy }))!;
  await enqueue(deps, job);
  return job;
}
