import { funnelView, getFunnel } from '../queries/getFunnel.ts';
import { sessionFiltersQuery } from '../queries/sessionFilters.ts';
import { analyticsContext } from './dashboard.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

export const getFunnelRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/funnel',
  summary:
    'Checkout-abandonment funnel for a date range (whole days in the project time zone) and filters: steps reached and ' +
    'abandoned, completion and purchase conversion rates, revenue per currency, time in step, by device and source, ' +
    'recovered checkouts, and the sessions that abandoned at each step.',
  tag: 'funnel',
  auth: 'projectRead',
  params: projectParams,
  query: sessionFiltersQuery,
  response: funnelView,
  errors: [400, 401, 404],
  async handler({ params, query, deps }) {
    const { timeZone, regexUrls } = await analyticsContext(deps, params.projectId, query);
    return getFunnel(deps.db.sql, params.projectId, timeZone, query, regexUrls);
  },
});
