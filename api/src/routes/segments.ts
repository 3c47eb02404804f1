import { z } from 'zod';
import { getInterestingSegments, SEGMENT_METRICS, segmentsView, type SegmentMetric } from '../queries/getInterestingSegments.ts';
import { sessionFiltersQuery } from '../queries/sessionFilters.ts';
import { analyticsContext } from './dashboard.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

const metrics = Object.keys(SEGMENT_METRICS) as [SegmentMetric, ...SegmentMetric[]];

/** The session filters plus the insight to judge; `safeExtend` keeps the filters' refinement (from ≤ to). */
export const segmentsQuery = sessionFiltersQuery.safeExtend({
  /** Which insight's rate to compare: `rage_click` or `dead_click`. */
  metric: z.enum(metrics),
});

export const getSegmentsRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/insights/segments',
  summary:
    'Interesting segments: the browsers, OSes, devices, entry pages, traffic sources and tag values whose share of ' +
    'sessions with rage clicks (or dead clicks) is significantly above the rest, for a date range and the dashboard ' +
    'filters. One-sided Fisher exact test per value, Holm correction over all values tested, minimum sample and lift ' +
    '(docs/insights-segments.md). An empty list means nothing stands out.',
  tag: 'insights',
  auth: 'projectRead',
  params: projectParams,
  query: segmentsQuery,
  response: segmentsView,
  errors: [400, 401, 404],
  async handler({ params, query, deps }) {
    const { metric, ...filters } = query;
    const { timeZone, regexUrls } = await analyticsContext(deps, params.projectId, filters);
    return getInterestingSegments(deps.db.sql, params.projectId, timeZone, metric, filters, regexUrls);
  },
});
