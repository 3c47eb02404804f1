/**
 * The route registry: every API route, declared once. `http/mountRoutes.ts` mounts them, `http/openapi.ts`
 * documents them, and a test fails if Express serves a route that is not listed here.
 */
import { collectPreflightRoute, collectRoute } from './collect.ts';
import type { AnyRoute } from './defineRoute.ts';
import { demoRoutes } from './demo.ts';
import { docsRoute, openApiRoute } from './docs.ts';
import { healthzRoute, readyzRoute } from './health.ts';
import { accountPageRoutes } from './accountPages.ts';
import { authRoutes } from './auth.ts';
import { checkoutRoutes } from './checkout.ts';
import { getDashboardRoute } from './dashboard.ts';
import { getFunnelRoute } from './funnel.ts';
import { privacyRoutes } from './privacy.ts';
import { projectRoutes } from './projects.ts';
import { listRecordingRoute, recordingChunkRoute, recordingStartRoute } from './recordings.ts';
import { getSegmentsRoute } from './segments.ts';
import { getSessionRoute, listSessionsRoute } from './sessions.ts';
import { teamRoutes } from './team.ts';
import { tokenRoutes } from './tokens.ts';
import { trackerScriptRoute } from './tracker.ts';

export const routes: readonly AnyRoute[] = [
  healthzRoute,
  readyzRoute,
  openApiRoute,
  docsRoute,
  collectRoute,
  collectPreflightRoute,
  ...checkoutRoutes,
  ...authRoutes,
  ...accountPageRoutes,
  ...projectRoutes,
  ...teamRoutes,
  ...tokenRoutes,
  listSessionsRoute,
  getSessionRoute,
  getFunnelRoute,
  getDashboardRoute,
  getSegmentsRoute,
  ...privacyRoutes,
  trackerScriptRoute,
  recordingStartRoute,
  recordingChunkRoute,
  listRecordingRoute,
  ...demoRoutes,
];
