/**
 * Checks shared by `/record/start` and `/record`: the same rules as `/collect` (known, enabled project; allowed
 * Origin; per-project rate) plus the project's recording switch. Bots and internal addresses get `null`: they are
 * answered politely and nothing is recorded.
 */
import { isbot } from 'isbot';
import type { ProjectCache, ProjectInfo } from '../ingest/projectCache.ts';
import { isOriginAllowed } from '../ingest/originCheck.ts';
import type { RateLimiter } from '../ingest/rateLimiter.ts';
import { HttpError } from '../http/errors.ts';

export interface RecordingRequest {
  key: string;
  origin: string | undefined;
  ip: string | undefined;
  userAgent: string | undefined;
}

export async function recordingProject(
  r: RecordingRequest,
  deps: { projects: ProjectCache; projectLimiter: RateLimiter },
): Promise<ProjectInfo | null> {
  const project = await deps.projects.byIngestKey(r.key);
  if (!project) throw new HttpError(404, 'unknown_project', `no project has the key ${r.key}`);
  if (project.disabled) throw new HttpError(403, 'project_disabled', 'this project is disabled');
  if (!isOriginAllowed(r.origin, project.settings.allowedOrigins)) {
    throw new HttpError(403, 'origin_not_allowed', r.origin ? `origin ${r.origin} is not allowed for this project` : 'an Origin header is required');
  }
  const wait = deps.projectLimiter.take(project.id);
  if (wait > 0) throw new HttpError(429, 'rate_limited', 'too many requests for this project', {}, { 'Retry-After': String(wait) });
  if (isbot(r.userAgent ?? '') || project.isInternalIp(r.ip)) return null;
  return project;
}

/** Recording is on for the project and the sample can be non-empty. */
export const recordingOn = (p: ProjectInfo): boolean =>
  p.settings.recording.enabled && p.settings.recording.sampleRate > 0 && p.settings.recording.dailyCap > 0;
