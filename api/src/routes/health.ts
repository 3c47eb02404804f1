import { z } from 'zod';
import { defineRoute } from './defineRoute.ts';

export const healthzRoute = defineRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process is up.',
  tag: 'operations',
  auth: 'public',
  response: z.object({ status: z.literal('ok') }),
  async handler() {
    return { status: 'ok' as const };
  },
});

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['ok', 'down']),
  queue: z.enum(['ok', 'down']),
  accepting: z.boolean(),
});

export const readyzRoute = defineRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: database and queue answer, and the process is not shutting down (503 otherwise).',
  tag: 'operations',
  auth: 'public',
  response: readiness,
  errors: [503],
  async handler({ deps, res }) {
    const database = await deps.db.sql.query('SELECT 1').then(() => 'ok' as const, () => 'down' as const);
    const queue = await deps.queue.counts().then(() => 'ok' as const, () => 'down' as const);
    const ready = database === 'ok' && queue === 'ok' && deps.accepting;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', database, queue, accepting: deps.accepting });
    return undefined;
  },
});
