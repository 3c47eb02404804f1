/**
 * The /collect use case: raw request in, batch committed to the inbox (or a clear refusal) out.
 * Checks run cheapest first; nothing is stored unless every check passes.
 */
import { isbot } from 'isbot';
import { parseBatch } from '@loupe/contract';
import { HttpError } from '../http/errors.ts';
import type { InboxWriter } from './inboxWriter.ts';
import { isOriginAllowed } from './originCheck.ts';
import type { ProjectCache } from './projectCache.ts';
import type { RateLimiter } from './rateLimiter.ts';
import { bodyEncoding, inflate } from './readBody.ts';

export interface CollectInput {
  body: Buffer;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** The `?enc=` marker for compressed beacons. */
  encParam: unknown;
  origin: string | undefined;
  /** Used in flight only (rate limit, internal ranges); never stored. */
  ip: string | undefined;
  userAgent: string | undefined;
}

export interface CollectResult {
  stored: boolean;
  duplicate?: boolean;
  /** Why an acknowledged batch was not stored. */
  reason?: 'bot' | 'internal_ip';
}

export interface CollectDeps {
  projects: ProjectCache;
  projectLimiter: RateLimiter;
  inbox: InboxWriter;
}

const ACCEPTED_TYPES = ['application/json', 'text/plain', 'application/octet-stream'];

/**
 * isbot's pattern is a regex of several hundred alternatives, run on every request; a store's traffic comes from a
 * few hundred distinct user agents at a time, so answers are remembered (cleared when full, which bounds memory).
 */
const botAnswers = new Map<string, boolean>();
const BOT_ANSWERS_MAX = 2048;
function isBotAgent(ua: string): boolean {
  let answer = botAnswers.get(ua);
  if (answer === undefined) {
    answer = isbot(ua);
    if (botAnswers.size >= BOT_ANSWERS_MAX) botAnswers.clear();
    botAnswers.set(ua, answer);
  }
  return answer;
}

export async function collectBatch(input: CollectInput, deps: CollectDeps): Promise<CollectResult> {
  const type = input.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && !ACCEPTED_TYPES.includes(type)) {
    throw new HttpError(415, 'unsupported_media_type', `Content-Type ${type} is not accepted (use application/json or text/plain)`);
  }
  const text = inflate(input.body, bodyEncoding(input.contentEncoding, input.encParam, input.body)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'malformed_json', `body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseBatch(json);
  if (!parsed.ok) throw new HttpError(400, 'invalid_batch', parsed.error, { field: parsed.path });
  const batch = parsed.batch;

  const project = await deps.projects.byIngestKey(batch.projectKey);
  if (!project) throw new HttpError(404, 'unknown_project', `no project has the key ${batch.projectKey}`);
  if (project.deleted) throw new HttpError(410, 'project_deleted', 'this project has been deleted');
  if (project.disabled) throw new HttpError(403, 'project_disabled', 'this project is disabled');
  if (!isOriginAllowed(input.origin, project.allowedOrigins)) {
    throw new HttpError(
      403,
      'origin_not_allowed',
      input.origin ? `origin ${input.origin} is not allowed for this project` : 'an Origin header is required',
    );
  }
  const wait = deps.projectLimiter.take(project.id);
  if (wait > 0) {
    throw new HttpError(429, 'rate_limited', 'too many requests for this project', {}, { 'Retry-After': String(wait) });
  }
  if (isBotAgent(input.userAgent ?? batch.userAgent.ua ?? '')) return { stored: false, reason: 'bot' };
  if (project.isInternalIp(input.ip)) return { stored: false, reason: 'internal_ip' };

  const result = await deps.inbox.write({
    projectId: project.id,
    sessionId: batch.sessionId,
    pageViewId: batch.pageViewId,
    seq: batch.seq,
    body: text,
    userAgent: batch.userAgent.ua ? null : (input.userAgent ?? null),
  });
  return result.duplicate ? { stored: true, duplicate: true } : { stored: true };
}
