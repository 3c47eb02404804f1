/**
 * Domain errors: what use cases throw when a request cannot be carried out. They say what went wrong in the
 * domain's words (not found, conflict, …) and carry a stable machine code; they know nothing of HTTP. The one
 * mapping to status codes and headers is `http/errorResponse.ts`.
 */

/** The kinds of refusal a use case can express. Each maps to exactly one HTTP status in `http/errorResponse.ts`. */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unsupported_media_type'
  | 'quota'
  | 'upstream';

/** Base class of every domain error: `code` is the machine-readable `error` of the answer, `extra` joins its body. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed or breaks a rule (400). */
export class InvalidError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('invalid', code, message, extra);
  }
}

/** The caller is not known: no or expired credentials (401). */
export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('unauthenticated', code, message, extra);
  }
}

/** The caller is known but may not do this (403). */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('forbidden', code, message, extra);
  }
}

/** The thing asked for does not exist, or the caller may not know that it does (404). */
export class NotFoundError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('not_found', code, message, extra);
  }
}

/** The request contradicts the current state (409). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('conflict', code, message, extra);
  }
}

/** The thing existed and is gone for good: deleted project, used invite (410). */
export class GoneError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('gone', code, message, extra);
  }
}

/** The input is larger than a limit (413). */
export class TooLargeError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('too_large', code, message, extra);
  }
}

/** The input's media type or encoding is not one we read (415). */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('unsupported_media_type', code, message, extra);
  }
}

/** A rate or quota is used up; `retryAfterSeconds` says when to come back (429). */
export class QuotaError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    extra: Record<string, unknown> = {},
  ) {
    super('quota', code, message, extra);
  }
}

/** A service we depend on (mail, …) failed; the caller may retry later (502). */
export class UpstreamError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super('upstream', code, message, extra);
  }
}
