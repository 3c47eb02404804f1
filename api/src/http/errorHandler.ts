import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import { errorResponse } from './errorResponse.ts';
import type { ErrorBody } from './errors.ts';

/** Turns thrown errors into JSON `{ error, message }`; unexpected ones are logged and answered 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    const known = errorResponse(err);
    if (known) {
      res.set(known.headers);
      res.status(known.status).json(known.body);
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
