import { z } from 'zod';
import { projectSettingsSchema } from '@loupe/contract';
import { HttpError } from '../http/errors.ts';
import { getProject } from '../queries/getProject.ts';
import { settingsPatchSchema, updateProjectSettings } from '../queries/updateProjectSettings.ts';
import { defineRoute } from './defineRoute.ts';

export const projectParams = z.object({ projectId: z.string().min(1).max(64) });

const projectView = z.object({
  id: z.string(),
  name: z.string(),
  ingestKey: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
  settings: projectSettingsSchema,
});

export const getProjectRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId',
  summary: 'A project, its ingest key and its settings.',
  tag: 'projects',
  auth: 'project',
  params: projectParams,
  response: projectView,
  errors: [401, 404],
  async handler({ params, deps }) {
    const project = await getProject(deps.db.prisma, params.projectId);
    if (!project) throw new HttpError(404, 'not_found', 'no such project');
    return project;
  },
});

export const updateSettingsRoute = defineRoute({
  method: 'patch',
  path: '/api/projects/:projectId/settings',
  summary: 'Change some settings (top-level keys replace, nested objects merge); answers the full new settings.',
  tag: 'projects',
  auth: 'project',
  params: projectParams,
  body: settingsPatchSchema,
  response: projectSettingsSchema,
  errors: [400, 401, 404],
  async handler({ params, body, deps }) {
    const settings = await updateProjectSettings(deps.db.prisma, params.projectId, body as Record<string, unknown>);
    deps.projects.invalidate();
    return settings;
  },
});
