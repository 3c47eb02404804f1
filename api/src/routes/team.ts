import { z } from 'zod';
import { publicUrl } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { listInvites } from '../queries/listInvites.ts';
import { listMembers, memberView } from '../queries/listMembers.ts';
import { acceptedInviteView, acceptInvite, acceptInviteBody } from '../team/acceptInvite.ts';
import { changeMemberRole, removeMember } from '../team/changeMembership.ts';
import { createInvite, createInviteBody, inviteView, roleSchema } from '../team/createInvite.ts';
import { revokeInvite } from '../team/revokeInvite.ts';
import { userOf } from '../auth/authenticate.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

const memberParams = projectParams.extend({ userId: z.string().min(1).max(64) });
const inviteParams = projectParams.extend({ inviteId: z.string().min(1).max(64) });

export const listMembersRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/members',
  summary: 'The project team and their roles.',
  tag: 'team',
  auth: 'projectRead',
  params: projectParams,
  response: z.object({ members: z.array(memberView) }),
  errors: [401, 404],
  async handler({ params, deps }) {
    return { members: await listMembers(deps.db.sql, params.projectId) };
  },
});

export const changeRoleRoute = defineRoute({
  method: 'patch',
  path: '/api/projects/:projectId/members/:userId',
  summary: "Change a member's role (admins); the last admin cannot be demoted.",
  tag: 'team',
  auth: 'projectAdmin',
  params: memberParams,
  body: z.object({ role: roleSchema }),
  response: z.object({ userId: z.string(), role: roleSchema }),
  errors: [400, 401, 403, 404, 409],
  async handler({ params, body, deps }) {
    return changeMemberRole(deps.db.sql, params.projectId, params.userId, body.role);
  },
});

export const removeMemberRoute = defineRoute({
  method: 'delete',
  path: '/api/projects/:projectId/members/:userId',
  summary: 'Remove a member (admins), or leave the project (your own user id); the last admin cannot leave.',
  tag: 'team',
  auth: 'projectRead',
  params: memberParams,
  status: 204,
  errors: [401, 403, 404, 409],
  async handler({ params, access, principal, deps }) {
    if (!access) throw new HttpError(404, 'not_found', 'no such project');
    // A token acts for its creator, so it can never make someone else leave.
    const actor = principal?.kind === 'user' ? principal.userId : null;
    if (access.via !== 'user' && access.role !== 'admin') throw new HttpError(403, 'forbidden', 'only project admins may remove members');
    await removeMember(deps.db.sql, access, actor, params.userId);
    return undefined;
  },
});

export const listInvitesRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/invites',
  summary: 'Pending invites of the project (admins).',
  tag: 'team',
  auth: 'projectAdmin',
  params: projectParams,
  response: z.object({ invites: z.array(inviteView) }),
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    return { invites: await listInvites(deps.db.sql, params.projectId) };
  },
});

export const createInviteRoute = defineRoute({
  method: 'post',
  path: '/api/projects/:projectId/invites',
  summary: 'Invite someone by e-mail (admins); at most 10 pending invites per project, the link expires after 7 days.',
  tag: 'team',
  auth: 'projectAdmin',
  params: projectParams,
  body: createInviteBody,
  response: inviteView,
  status: 201,
  errors: [400, 401, 403, 404, 409, 502],
  async handler({ params, body, principal, deps }) {
    const inviter = principal?.kind === 'user' ? { userId: principal.userId, label: principal.email } : { userId: null, label: 'A Loupe admin' };
    return createInvite(deps.db.sql, deps.mailer, deps.logger, {
      projectId: params.projectId,
      email: body.email,
      role: body.role,
      inviter,
      appUrl: publicUrl(deps.config),
    });
  },
});

export const revokeInviteRoute = defineRoute({
  method: 'delete',
  path: '/api/projects/:projectId/invites/:inviteId',
  summary: 'Withdraw a pending invite (admins).',
  tag: 'team',
  auth: 'projectAdmin',
  params: inviteParams,
  status: 204,
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    await revokeInvite(deps.db.sql, params.projectId, params.inviteId);
    return undefined;
  },
});

export const acceptInviteRoute = defineRoute({
  method: 'post',
  path: '/api/invites/accept',
  summary: 'Accept an invite with the e-mailed token, logged in as the invited address.',
  tag: 'team',
  auth: 'user',
  body: acceptInviteBody,
  response: acceptedInviteView,
  errors: [400, 401, 403, 404, 410],
  async handler({ body, principal, deps }) {
    return acceptInvite(deps.db.sql, body.token, userOf(principal));
  },
});

export const teamRoutes = [
  listMembersRoute,
  changeRoleRoute,
  removeMemberRoute,
  listInvitesRoute,
  createInviteRoute,
  revokeInviteRoute,
  acceptInviteRoute,
];
