import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import { HttpError, type ErrorBody } from './errors.ts';

/** Turns thrown errors into JSON `{ error, message }`; unexpected ones are logged and answered 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      res.set(err.headers);
      res.status(err.status).json({ error: err.code, message: err.message, ...err.extra } satisfies ErrorBody);
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser errors (malformed or oversized JSON bodies on API routes)
      const code = status === 413 ? 'payload_too_large' : 'bad_request';
      res.status(status).json({ error: code, message: (err as Error).message } satisfies ErrorBody);
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(500).json({ error: 'internal', message: 'internal server error' } satisfies ErrorBody);
  };
}
