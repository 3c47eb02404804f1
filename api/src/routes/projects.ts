import { z } from 'zod';
import { projectSettingsSchema } from '@loupe/contract';
import { publicUrl } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { createProject } from '../projects/createProject.ts';
import { installSnippet } from '../projects/installSnippet.ts';
import { projectFieldsSchema } from '../projects/projectFields.ts';
import { rotatedKeyView, rotateIngestKey } from '../projects/rotateIngestKey.ts';
import { getProject, projectView } from '../queries/getProject.ts';
import { listProjectsForUser, projectListItem } from '../queries/listProjectsForUser.ts';
import { projectPatchSchema, updateProject } from '../queries/updateProject.ts';
import { settingsPatchSchema, updateProjectSettings } from '../queries/updateProjectSettings.ts';
import { userOf } from '../auth/authenticate.ts';
import { defineRoute } from './defineRoute.ts';

export const projectParams = z.object({ projectId: z.string().min(1).max(64) });

const projectDetail = projectView.extend({ role: z.enum(['admin', 'member']), installSnippet: z.string() });

export const listProjectsRoute = defineRoute({
  method: 'get',
  path: '/api/projects',
  summary: 'The projects the logged-in user belongs to, with their role.',
  tag: 'projects',
  auth: 'user',
  response: z.object({ projects: z.array(projectListItem) }),
  errors: [401, 403],
  async handler({ principal, deps }) {
    const user = userOf(principal);
    return { projects: await listProjectsForUser(deps.db.prisma, user.userId) };
  },
});

export const createProjectRoute = defineRoute({
  method: 'post',
  path: '/api/projects',
  summary: 'Create a project (the caller becomes its admin); answers its ingest key and install snippet.',
  tag: 'projects',
  auth: 'user',
  body: projectFieldsSchema.extend({ settings: projectSettingsSchema.partial().optional() }),
  response: projectDetail,
  status: 201,
  errors: [400, 401, 403],
  async handler({ principal, body, deps }) {
    const user = userOf(principal);
    const created = await createProject(deps.db.prisma, { ...body, adminUserId: user.userId });
    const project = await getProject(deps.db.prisma, created.id);
    return { ...project!, role: 'admin' as const, installSnippet: installSnippet(publicUrl(deps.config), created.ingestKey) };
  },
});

export const getProjectRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId',
  summary: 'A project, its ingest key, install snippet and settings.',
  tag: 'projects',
  auth: 'projectRead',
  params: projectParams,
  response: projectDetail,
  errors: [401, 404],
  async handler({ params, access, deps }) {
    const project = await getProject(deps.db.prisma, params.projectId);
    if (!project || !access) throw new HttpError(404, 'not_found', 'no such project');
    return { ...project, role: access.role, installSnippet: installSnippet(publicUrl(deps.config), project.ingestKey) };
  },
});

export const updateProjectRoute = defineRoute({
  method: 'patch',
  path: '/api/projects/:projectId',
  summary: 'Rename a project or change its category or domains (a domain also covers its subdomains).',
  tag: 'projects',
  auth: 'projectWrite',
  params: projectParams,
  body: projectPatchSchema,
  status: 204,
  errors: [400, 401, 403, 404],
  async handler({ params, body, deps }) {
    await updateProject(deps.db.prisma, params.projectId, body);
    deps.projects.invalidate();
    return undefined;
  },
});

export const updateSettingsRoute = defineRoute({
  method: 'patch',
  path: '/api/projects/:projectId/settings',
  summary: 'Change some settings (top-level keys replace, nested objects merge); answers the full new settings.',
  tag: 'projects',
  auth: 'projectWrite',
  params: projectParams,
  body: settingsPatchSchema,
  response: projectSettingsSchema,
  errors: [400, 401, 403, 404],
  async handler({ params, body, deps }) {
    const settings = await updateProjectSettings(deps.db.prisma, params.projectId, body as Record<string, unknown>);
    deps.projects.invalidate();
    return settings;
  },
});

export const rotateIngestKeyRoute = defineRoute({
  method: 'post',
  path: '/api/projects/:projectId/ingest-key/rotate',
  summary: 'Issue a new ingest key; the old one keeps working for LOUPE_INGEST_KEY_GRACE_HOURS (default 72 h).',
  tag: 'projects',
  auth: 'projectAdmin',
  params: projectParams,
  response: rotatedKeyView,
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    const rotated = await rotateIngestKey(deps.db.sql, params.projectId, deps.config.LOUPE_INGEST_KEY_GRACE_HOURS);
    deps.projects.invalidate();
    return rotated;
  },
});

export const projectRoutes = [
  listProjectsRoute,
  createProjectRoute,
  getProjectRoute,
  updateProjectRoute,
  updateSettingsRoute,
  rotateIngestKeyRoute,
];
