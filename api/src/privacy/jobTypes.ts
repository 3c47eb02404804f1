/** Privacy job kinds, states and the queue message; the job's state lives in `privacy_jobs`, never in the queue. */
import { z } from 'zod';

export const PRIVACY_JOB_KINDS = ['delete_project', 'erase_visitor', 'export_visitor', 'retention'] as const;
export type PrivacyJobKind = (typeof PRIVACY_JOB_KINDS)[number];
export const PRIVACY_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type PrivacyJobStatus = (typeof PRIVACY_JOB_STATUSES)[number];

/** A row of `privacy_jobs`. */
export interface PrivacyJob {
  id: string;
  projectId: string | null;
  kind: PrivacyJobKind;
  params: Record<string, unknown>;
  status: PrivacyJobStatus;
  progressDone: number;
  progressTotal: number;
  result: unknown;
  error: string | null;
  attempts: number;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  updatedAt: Date;
  finishedAt: Date | null;
}

/**
 * Who a visitor erasure or export is about: exactly one of a visitor id, an identify hash (as the tracker sent it),
 * or a raw identify id (hashed with the project's salt). A flat object so that request parsing, which runs before
 * authorization, never tells another tenant more than "not found"; `parseVisitorSelector` enforces "exactly one".
 */
export const visitorSelectorSchema = z
  .object({
    visitorId: z.string().min(1).max(128).optional(),
    identifyHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256').optional(),
    identifyId: z.string().min(1).max(512).optional(),
  })
  .strict();
export type VisitorSelectorBody = z.infer<typeof visitorSelectorSchema>;
export type VisitorSelectorInput = { visitorId: string } | { identifyHash: string } | { identifyId: string };

/** Exactly one selector field, or null. */
export function parseVisitorSelector(body: VisitorSelectorBody | undefined): VisitorSelectorInput | null {
  const given = (['visitorId', 'identifyHash', 'identifyId'] as const).filter((k) => body?.[k] !== undefined);
  if (given.length !== 1) return null;
  const key = given[0]!;
  return { [key]: body![key]! } as VisitorSelectorInput;
}
/** What a job stores: the raw identify id never is. */
export type VisitorSelector = { visitorId: string } | { identifyHash: string };

/** The queue: one named `privacy`, its messages only name a `privacy_jobs` row. */
export const PRIVACY_QUEUE = 'privacy';
export const PRIVACY_JOB = 'privacy-job';
export interface PrivacyQueueMessage {
  jobId: string;
}
/** Queue attempts per job; the last failure marks the row `failed`. */
export const PRIVACY_ATTEMPTS = 5;
