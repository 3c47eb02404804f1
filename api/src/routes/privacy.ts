/**
 * Deletion and privacy operations: each request records a background job (api/src/privacy) and answers 202 with
 * it; the job's status and progress are polled, an export is downloaded when done. Deleting a project needs a
 * logged-in admin; erasing and exporting a visitor, an admin or a token with the write scope.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import type { Principal } from '../auth/principal.ts';
import { HttpError } from '../http/errors.ts';
import { PRIVACY_JOB_KINDS, PRIVACY_JOB_STATUSES, visitorSelectorSchema, type PrivacyJob } from '../privacy/jobTypes.ts';
import { requestProjectDeletion, requestVisitorJob, type RequestDeps } from '../privacy/requestJobs.ts';
import { getPrivacyExport } from '../queries/getPrivacyExport.ts';
import { getPrivacyJob } from '../queries/getPrivacyJob.ts';
import { defineRoute, type AnyRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

/** Who asked, for the job log: the user, or the token (`token:<id>`). */
const requesterOf = (p: Principal | null): string | null => (p?.kind === 'user' ? p.userId : p ? `token:${p.tokenId}` : null);

export const privacyJobSchema = z.object({
  id: z.string(),
  kind: z.enum(PRIVACY_JOB_KINDS),
  status: z.enum(PRIVACY_JOB_STATUSES),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Per-kind summary once done (rows deleted or exported per table, …). */
  result: z.unknown(),
  /** Where to fetch the export once an export job is done. */
  downloadUrl: z.string().nullable(),
});

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function jobView(job: PrivacyJob): z.infer<typeof privacyJobSchema> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: { done: job.progressDone, total: job.progressTotal },
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    error: job.error,
    result: job.result ?? null,
    downloadUrl:
      job.kind === 'export_visitor' && job.status === 'done' ? `/api/projects/${job.projectId}/privacy-jobs/${job.id}/download` : null,
  };
}

const requestDeps = (deps: AppDeps): RequestDeps => ({
  sql: deps.db.sql,
  privacyQueue: deps.privacyQueue,
  logger: deps.logger,
  invalidateProjects: () => deps.projects.invalidate(),
});

const jobParams = projectParams.extend({ jobId: z.string().min(1).max(80) });

export const deleteProjectRoute = defineRoute({
  method: 'delete',
  path: '/api/projects/:projectId',
  summary:
    'Delete a project and ALL its data, irrecoverably. The body must confirm with {"confirm": "<project name or id>"}. ' +
    'Ingest refuses the project at once; the data is deleted by a background job (202).',
  tag: 'privacy',
  auth: 'projectAdmin',
  params: projectParams,
  body: z.object({ confirm: z.string().max(300).optional() }).optional(),
  response: privacyJobSchema,
  status: 202,
  errors: [400, 401, 403, 404],
  async handler({ params, body, principal, deps }) {
    return jobView(await requestProjectDeletion(requestDeps(deps), params.projectId, body?.confirm, requesterOf(principal)));
  },
});

const selectorBody = visitorSelectorSchema.describe('exactly one of visitorId, identifyHash (as the tracker sent it) or identifyId (raw)');

export const eraseVisitorRoute = defineRoute({
  method: 'post',
  path: '/api/projects/:projectId/visitors/erase',
  summary:
    "Erase one visitor's data everywhere (inbox, sessions, events, recordings, exports), by visitor id or identify id; " +
    'later batches of that visitor are dropped. Background job (202).',
  tag: 'privacy',
  auth: 'projectWrite',
  params: projectParams,
  body: selectorBody,
  response: privacyJobSchema,
  status: 202,
  errors: [400, 401, 403, 404, 410],
  async handler({ params, body, principal, deps }) {
    return jobView(await requestVisitorJob(requestDeps(deps), params.projectId, 'erase_visitor', body, requesterOf(principal)));
  },
});

export const exportVisitorRoute = defineRoute({
  method: 'post',
  path: '/api/projects/:projectId/visitors/export',
  summary: "Export one visitor's data as JSON (by visitor id or identify id). Background job (202); download when done.",
  tag: 'privacy',
  auth: 'projectWrite',
  params: projectParams,
  body: selectorBody,
  response: privacyJobSchema,
  status: 202,
  errors: [400, 401, 403, 404, 410],
  async handler({ params, body, principal, deps }) {
    return jobView(await requestVisitorJob(requestDeps(deps), params.projectId, 'export_visitor', body, requesterOf(principal)));
  },
});

export const getPrivacyJobRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/privacy-jobs/:jobId',
  summary: 'Status and progress of a privacy job of this project.',
  tag: 'privacy',
  auth: 'projectWrite',
  params: jobParams,
  response: privacyJobSchema,
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    const job = await getPrivacyJob(deps.db.sql, params.projectId, params.jobId);
    if (!job) throw new HttpError(404, 'not_found', 'no such privacy job');
    return jobView(job);
  },
});

export const downloadExportRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/privacy-jobs/:jobId/download',
  summary: 'The JSON file of a finished visitor export (kept for 7 days).',
  tag: 'privacy',
  auth: 'projectWrite',
  params: jobParams,
  produces: 'application/json',
  errors: [401, 403, 404],
  async handler({ params, deps, res }) {
    const document = await getPrivacyExport(deps.db.sql, params.projectId, params.jobId);
    if (document === null) throw new HttpError(404, 'not_found', 'no finished export with this id (exports expire after 7 days)');
    res
      .status(200)
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="loupe-visitor-export-${params.jobId.replace(/[^A-Za-z0-9_-]/g, '_')}.json"`,
        'Cache-Control': 'no-store',
      })
      .send(document);
    return undefined;
  },
});

export const privacyRoutes: readonly AnyRoute[] = [
  deleteProjectRoute,
  eraseVisitorRoute,
  exportVisitorRoute,
  getPrivacyJobRoute,
  downloadExportRoute,
];
