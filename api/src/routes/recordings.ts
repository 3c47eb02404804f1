import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { readRawBody } from '../ingest/readBody.ts';
import { insertRecordingChunk } from '../queries/insertRecordingChunk.ts';
import { listRecordingChunks, recordingChunkSchema } from '../queries/listRecordingChunks.ts';
import { recordingOn, recordingProject } from '../recording/recordingAccess.ts';
import { startRecording } from '../recording/startRecording.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** Chunk bodies are compressed in the browser and cut to fit keepalive budgets; this is a generous ceiling. */
const MAX_CHUNK_BYTES = 256 * 1024;
const WEEK_MS = 7 * 24 * 3600_000;

const cors = (origin: string | undefined): Record<string, string> =>
  origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' } : {};

const startBody = z.object({ k: id, s: id, v: id.optional() });

export const recordingStartRoute = defineRoute({
  method: 'post',
  path: '/record/start',
  summary:
    'Asks whether a sampled session may be recorded now (recording on, daily cap of recorded sessions not reached) ' +
    'and with which masking mode. text/plain JSON body {k: ingest key, s: session id}.',
  tag: 'recording',
  auth: 'ingest',
  body: 'raw',
  response: z.object({ record: z.boolean(), masking: z.enum(['strict', 'balanced', 'relaxed']).optional(), reason: z.string().optional() }),
  errors: [400, 403, 404, 429],
  async handler({ req, res, deps }) {
    res.set(cors(req.headers.origin));
    let parsed: z.infer<typeof startBody>;
    try {
      parsed = startBody.parse(JSON.parse((await readRawBody(req, 4096)).toString('utf8')));
    } catch {
      throw new HttpError(400, 'invalid_body', 'expected {"k": ingest key, "s": session id}');
    }
    const project = await recordingProject({ key: parsed.k, origin: req.headers.origin, ip: req.ip, userAgent: req.headers['user-agent'] }, deps);
    if (!project) return { record: false };
    return startRecording(deps.db.prisma, project, parsed.s);
  },
});

const chunkQuery = z.object({
  k: id,
  s: id,
  v: id,
  p: id,
  n: z.coerce.number().int().min(0).max(1_000_000),
  t: z.coerce.number().int().min(0),
  enc: z.enum(['gzip', 'identity']),
});

export const recordingChunkRoute = defineRoute({
  method: 'post',
  path: '/record',
  summary:
    'Stores one recording chunk (rrweb events as NDJSON, gzip or identity; ids, seq and time in the query). ' +
    'Resends are no-ops. 409 when a new session would pass the daily cap.',
  tag: 'recording',
  auth: 'ingest',
  query: chunkQuery,
  body: 'raw',
  response: z.object({ stored: z.boolean() }),
  errors: [400, 403, 404, 409, 413, 429],
  async handler({ req, res, deps, query }) {
    res.set(cors(req.headers.origin));
    const wait = deps.ipLimiter.take(req.ip ?? 'unknown');
    if (wait > 0) {
      req.resume();
      throw new HttpError(429, 'rate_limited', 'too many requests from this address', {}, { 'Retry-After': String(wait) });
    }
    const payload = await readRawBody(req, MAX_CHUNK_BYTES);
    const project = await recordingProject({ key: query.k, origin: req.headers.origin, ip: req.ip, userAgent: req.headers['user-agent'] }, deps);
    if (!project) return { stored: false };
    if (!recordingOn(project)) throw new HttpError(403, 'recording_off', 'recording is off for this project');
    if (query.n === 0) {
      const decision = await startRecording(deps.db.prisma, project, query.s);
      if (!decision.record) throw new HttpError(409, 'daily_cap', 'the daily cap of recorded sessions is reached');
    }
    if (query.enc === 'gzip' && (payload[0] !== 0x1f || payload[1] !== 0x8b)) throw new HttpError(400, 'bad_encoding', 'not gzip data');
    const now = Date.now();
    // The client's time dates the chunk (stable across resends); absurd clocks are pinned to the receipt time.
    const ts = query.t > now - WEEK_MS && query.t < now + 3600_000 ? query.t : now;
    const stored = await insertRecordingChunk(deps.db.prisma, {
      projectId: project.id,
      sessionId: query.s,
      visitorId: query.v,
      pageViewId: query.p,
      seq: query.n,
      ts: new Date(ts),
      encoding: query.enc,
      payload,
    });
    return { stored };
  },
});

export const listRecordingRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/sessions/:sessionId/recording',
  summary: "A session's recording chunks in upload order (base64; decompress and concatenate for NDJSON rrweb events).",
  tag: 'recording',
  auth: 'projectRead',
  params: projectParams.extend({ sessionId: z.string().min(1).max(80) }),
  response: z.object({ sessionId: z.string(), chunks: z.array(recordingChunkSchema) }),
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    return { sessionId: params.sessionId, chunks: await listRecordingChunks(deps.db.prisma, params.projectId, params.sessionId) };
  },
});
