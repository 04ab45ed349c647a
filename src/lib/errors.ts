// Typed domain errors and their one rendering: application/problem+json (RFC 9457) for the API,
// a friendly HTML page for browsers. Domain code throws; `app.onError` renders.

export interface ProblemExtras {
  [key: string]: unknown;
}

/** Base class: an error a user can be told about, with its HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request could not be read (malformed JSON, missing body). */
export class BadRequestError extends AppError {
  constructor(message: string, extras?: ProblemExtras) {
    super(400, 'Bad request', message, extras);
  }
}

/** 401: no or wrong credentials. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'Unauthorized', message);
  }
}

/** 403: refused (cross-site form post, not your resource). */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

/** 404: not there, or not yours to see. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'Not found', message);
  }
}

/** 409: the resource moved on (stale version, already paid). `extras` may carry the current state. */
export class ConflictError extends AppError {
  constructor(message: string, extras?: ProblemExtras) {
    super(409, 'Conflict', message, extras);
  }
}

/** 413: the body is too large. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'Payload too large', message);
  }
}

/** 415: the body is not of a type the endpoint takes. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'Unsupported media type', message);
  }
}

/** 422: well-formed but wrong (unknown product, quantity out of range). */
export class ValidationError extends AppError {
  constructor(message: string, extras?: ProblemExtras) {
    super(422, 'Validation failed', message, extras);
  }
}

/** 502: Stripe or another upstream failed; worth retrying. */
export class UpstreamError extends AppError {
  constructor(message: string, extras?: ProblemExtras) {
    super(502, 'Upstream error', message, extras);
  }
}

/** The problem+json body for an error (RFC 9457). */
export function problemBody(err: AppError, instance?: string) {
  return {
    type: 'about:blank',
    title: err.title,
    status: err.status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...err.extras,
  };
}

/** A problem+json Response. */
export function problemResponse(err: AppError, instance?: string): Response {
  return new Response(JSON.stringify(problemBody(err, instance)), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** 429: too many attempts; `retryAfter` (seconds) says when to try again. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(429, 'Too many requests', message, { retryAfter });
  }
}
