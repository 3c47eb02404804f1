/**
 * Configuration from the environment, validated once at start. A wrong value names itself and the process exits
 * non-zero (see `loadConfig`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MAX_PARTITIONS } from './workers/partitionLocks.ts';

/** The repository root (api/src/config.ts → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(
      z
        .string()
        .refine((v) => {
          try {
            return protocols.includes(new URL(v).protocol);
          } catch {
            return false;
          }
        }, `expected a URL starting with ${protocols.join(' or ')}`)
        .optional(),
    )
    .optional();

export const configSchema = z
  .object({
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    /** Key prefix in Redis: lets several installs (or CI runs) share one server. */
    LOUPE_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/).default('loupe'),
    /** PGlite data directory for the embedded default. */
    LOUPE_DATA_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'pglite')),
    PORT: int(4400).pipe(z.number().max(65535)),
    HOST: z.string().default('127.0.0.1'),
    /** URL the server is reached at (printed, used in snippets); defaults to http://HOST:PORT. */
    LOUPE_PUBLIC_URL: optionalUrl(['http:', 'https:']),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Requests per second a single client IP may send to /collect (token bucket, burst = 2 s worth). */
    LOUPE_RATE_PER_IP: int(50, 1),
    /** Requests per second one project may send to /collect across all its visitors. */
    LOUPE_RATE_PER_PROJECT: int(5000, 1),
    /** Processed inbox rows are deleted after this many hours. */
    LOUPE_INBOX_RETENTION_HOURS: int(24, 1),
    /** The sweeper re-enqueues unprocessed inbox rows older than this many seconds. */
    LOUPE_SWEEP_AFTER_SECONDS: int(60, 1),
    LOUPE_SWEEP_INTERVAL_SECONDS: int(30, 1),
    /** How often the insight analyzer looks for ended sessions to judge; 0 turns it off (tests call it directly). */
    LOUPE_INSIGHT_INTERVAL_SECONDS: int(60, 0),
    /** Scheduling niceness of worker processes (0–19): latency-critical api requests win a shared CPU. */
    LOUPE_WORKER_NICE: int(10, 0).pipe(z.number().max(19)),
    /**
     * Jobs one worker process runs at once. Default 2 on PostgreSQL (one job's node work overlaps another's
     * database work; partitions keep them off each other's sessions), 1 on PGlite, which runs one statement at a time.
     */
    LOUPE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    /**
     * Inbox partitions by session (`workers/partitionLocks.ts`): at most this many worker transactions write at once,
     * across all worker processes. Default 2 on PostgreSQL (more, smaller transactions cost PostgreSQL more
     * per event at moderate load), 1 on PGlite; set it to at least the total worker
     * concurrency when scaling out.
     */
    LOUPE_INGEST_PARTITIONS: z.coerce.number().int().min(1).max(MAX_PARTITIONS).optional(),
    /**
     * Most inbox batches one worker transaction claims. Default 500 on PostgreSQL; 50 on PGlite, whose single
     * connection /collect waits for while a worker transaction runs.
     */
    LOUPE_WORKER_CLAIM_MAX: z.coerce.number().int().min(1).max(5000).optional(),
    /** Run workers inside the api process (always true on the embedded default). */
    LOUPE_INLINE_WORKERS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** Group commit: most batches per inbox INSERT, and INSERTs in flight at once (PGlite always uses 1). */
    LOUPE_GROUP_COMMIT_MAX: int(256, 1),
    LOUPE_GROUP_COMMIT_CONCURRENCY: int(2, 1),
    /**
     * Workers are woken at most once per this many ms per api process; each wake-up claims every pending batch. Longer
     * means bigger, cheaper worker transactions under steady traffic (more CPU left for /collect), and up to this much
     * more lag before events are queryable (docs/ingest.md).
     */
    LOUPE_WAKE_INTERVAL_MS: int(100, 0),
    /** Create a demo project on first start (embedded default quick start). */
    LOUPE_DEMO: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /** SMTP server for account e-mail (`smtp://user:pass@host:587`); unset → messages go to the outbox folder and the log. */
    LOUPE_SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
    LOUPE_MAIL_FROM: z.string().default('Loupe <no-reply@loupe.local>'),
    /** Where e-mail is written when no SMTP server is configured. */
    LOUPE_OUTBOX_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'outbox')),
    /** Failed log-ins per e-mail address, and log-in attempts per client IP, allowed per 15 minutes. */
    LOUPE_LOGIN_MAX_PER_EMAIL: int(10, 1),
    LOUPE_LOGIN_MAX_PER_IP: int(100, 1),
    /** Sign-ups, and password-reset requests, allowed per client IP per hour. */
    LOUPE_SIGNUP_MAX_PER_IP: int(20, 1),
    LOUPE_RESET_MAX_PER_IP: int(20, 1),
    /** How long an old ingest key keeps working after a rotation, in hours. */
    LOUPE_INGEST_KEY_GRACE_HOURS: int(72, 0),
    /** Trust X-Forwarded-For from this many proxies (Express `trust proxy`). */
    LOUPE_TRUST_PROXY: int(0, 0),
  })
  .superRefine((c, ctx) => {
    if (c.REDIS_URL && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message:
          'REDIS_URL is set but DATABASE_URL is not: Redis mode runs workers in other processes, and the embedded ' +
          'PGlite database can only be opened by one process. Set DATABASE_URL to a PostgreSQL server, or unset REDIS_URL.',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses `env`; throws a ConfigError whose message names every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** The URL printed and used in install snippets. */
export const publicUrl = (c: Config): string => c.LOUPE_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`;
