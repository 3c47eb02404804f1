import type { SessionFilters } from '../queries/sessionFilters.ts';
import { HttpError } from '../http/errors.ts';
import type { AppDeps } from '../appDeps.ts';
import { dashboardView, getDashboard } from '../queries/getDashboard.ts';
import { resolveUrlRegex } from '../queries/resolveUrlRegex.ts';
import { dateRange, sessionFiltersQuery } from '../queries/sessionFilters.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

/** The project's time zone and, for a regex URL filter, the URLs it matches: what every analytics query needs first. */
export async function analyticsContext(deps: AppDeps, projectId: string, filters: SessionFilters): Promise<{ timeZone: string; regexUrls: string[] }> {
  const project = await deps.projects.byProjectId(projectId);
  if (!project) throw new HttpError(404, 'not_found', 'no such project');
  const timeZone = project.settings.timeZone;
  if (!filters.url || filters.urlMatch !== 'regex') return { timeZone, regexUrls: [] };
  const { from, to } = dateRange(filters, timeZone);
  return { timeZone, regexUrls: await resolveUrlRegex(deps.db.sql, projectId, filters.url, from, to, timeZone) };
}

export const getDashboardRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/dashboard',
  summary:
    'Dashboard figures for a date range and filters (device, browser, OS, source, referrer, URL exact/contains/RE2 regex, ' +
    'tags): sessions, unique visitors, pages per session, scroll depth, duration, error share, daily trend in the ' +
    'project time zone, top pages, sources and errors.',
  tag: 'insights',
  auth: 'projectRead',
  params: projectParams,
  query: sessionFiltersQuery,
  response: dashboardView,
  errors: [400, 401, 404],
  async handler({ params, query, deps }) {
    const { timeZone, regexUrls } = await analyticsContext(deps, params.projectId, query);
    return getDashboard(deps.db.sql, params.projectId, timeZone, query, regexUrls);
  },
});
