import express, { type Express } from 'express';
import type { AppDeps } from './appDeps.ts';
import { errorHandler } from './http/errorHandler.ts';
import { mountRoutes } from './http/mountRoutes.ts';
import { routes } from './routes/index.ts';

/** The Express app: registry routes, JSON 404s and JSON errors. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.LOUPE_TRUST_PROXY);
  // While draining, answer in-flight keep-alive connections and close them, so shutdown is not held open by busy clients.
  app.use((_req, res, next) => {
    if (!deps.accepting) res.set('Connection', 'close');
    next();
  });
  mountRoutes(app, routes, deps);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
