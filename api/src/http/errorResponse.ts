/**
 * The one mapping from thrown errors to HTTP answers, shared by the Express error handler and the /collect fast
 * path: domain errors by kind, `HttpError` as it says, anything else is not ours to describe (null → 500).
 */
import { DomainError, QuotaError, type DomainErrorKind } from '../domain/errors.ts';
import { HttpError, type ErrorBody } from './errors.ts';

/** The status each domain error kind is answered with. */
export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  quota: 429,
  upstream: 502,
};

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** The answer for a known error, or null when the error is unexpected (the caller logs it and answers 500). */
export function errorResponse(err: unknown): ErrorResponse | null {
  if (err instanceof DomainError) {
    const headers: Record<string, string> =
      err instanceof QuotaError && err.retryAfterSeconds !== undefined ? { 'Retry-After': String(err.retryAfterSeconds) } : {};
    return { status: STATUS_OF_KIND[err.kind], headers, body: { error: err.code, message: err.message, ...err.extra } };
  }
  if (err instanceof HttpError) {
    return { status: err.status, headers: err.headers, body: { error: err.code, message: err.message, ...err.extra } };
  }
  return null;
}
