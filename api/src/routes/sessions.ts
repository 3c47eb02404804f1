import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { getSession, sessionDetailSchema } from '../queries/getSession.ts';
import { listSessions, listSessionsQuery, sessionSummarySchema } from '../queries/listSessions.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

export const listSessionsRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/sessions',
  summary: 'Sessions of a project, newest first.',
  tag: 'sessions',
  auth: 'projectRead',
  params: projectParams,
  query: listSessionsQuery,
  response: z.object({ sessions: z.array(sessionSummarySchema) }),
  errors: [400, 401, 404],
  async handler({ params, query, deps }) {
    return { sessions: await listSessions(deps.db.prisma, params.projectId, query) };
  },
});

export const getSessionRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/sessions/:sessionId',
  summary: 'One session with its page views, clicks, errors, custom and checkout events.',
  tag: 'sessions',
  auth: 'projectRead',
  params: projectParams.extend({ sessionId: z.string().min(1).max(80) }),
  response: sessionDetailSchema,
  errors: [401, 404],
  async handler({ params, deps }) {
    const session = await getSession(deps.db.prisma, params.projectId, params.sessionId);
    if (!session) throw new HttpError(404, 'not_found', 'no such session');
    return session;
  },
});
