/**
 * Tenancy, enumerated from the route registry: every authenticated route is called by another tenant (logged in,
 * and with an all-scopes API token) with tenant A's real ids in every path parameter. Project routes must answer
 * 403/404; account routes must not leak A's data. A new route is covered the moment it is registered; a new path
 * parameter fails this test until it gets a tenant-A id below.
 */
import assert from 'node:assert/strict';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { routes } from '../../src/routes/index.ts';
import { newProject, randomEmail, signUp, tokenClient, tokenFromMail, type Client, type Reply } from '../helpers/accounts.ts';
import { eventually, postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe('tenancy: every route in the registry refuses another tenant', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api?.close());

  it("no route gives tenant B access to tenant A's projects, members, invites, tokens or sessions", async () => {
    // Tenant A: an admin, a member, a project with data, a pending invite, a token.
    const adminA = await signUp(api, randomEmail('tenant-a'));
    const memberA = await signUp(api, randomEmail('tenant-a-member'));
    const projectA = await newProject(adminA, { domains: ['tenant-a.example'] });
    await adminA.call('POST', `/api/projects/${projectA.id}/invites`, { email: memberA.email });
    await memberA.call('POST', '/api/invites/accept', { token: await tokenFromMail(api, memberA.email, '/app/accept-invite') });
    const pendingEmail = randomEmail('tenant-a-invitee');
    const inviteA = (await adminA.call('POST', `/api/projects/${projectA.id}/invites`, { email: pendingEmail })).body;
    const inviteToken = await tokenFromMail(api, pendingEmail, '/app/accept-invite');
    const tokenA = (await adminA.call('POST', '/api/tokens', { name: 'a', projectIds: [projectA.id], scopes: ['read', 'write', 'events'] })).body;
    const sessionIdA = newClientId();
    const visitorIdA = newClientId();
    const sent = await postBatch(api, makeBatch({ projectKey: projectA.ingestKey, sessionId: sessionIdA, visitorId: visitorIdA }), {
      origin: 'https://tenant-a.example',
    });
    assert.equal(sent.status, 200);
    const storedSession = await eventually(async () => {
      const [row] = await api.runtime.deps.db.sql.query<{ id: string }>(`SELECT id FROM sessions WHERE project_id = $1`, [projectA.id]);
      return row?.id;
    });

    const jobA = await adminA.call('POST', `/api/projects/${projectA.id}/visitors/export`, { visitorId: visitorIdA });
    assert.equal(jobA.status, 202, JSON.stringify(jobA.body));

    /** Tenant-A ids for every path parameter a route may take. */
    const idsOfA: Record<string, string> = {
      projectId: projectA.id,
      sessionId: storedSession,
      userId: memberA.userId,
      inviteId: inviteA.id,
      tokenId: tokenA.id,
      jobId: jobA.body.id,
    };
    /** Bodies that point at A's resources, for routes whose target is in the body. */
    const bodies: Record<string, unknown> = {
      'POST /api/tokens': { name: 'steal', projectIds: [projectA.id], scopes: ['read'] },
      'POST /api/invites/accept': { token: inviteToken },
    };
    // What must never appear in an answer to tenant B.
    const secretsOfA = [projectA.ingestKey, adminA.email, memberA.email, pendingEmail, storedSession, tokenA.token, inviteToken, visitorIdA];

    // Tenant B: a logged-in admin of their own project, and their all-scopes token.
    const adminB = await signUp(api, randomEmail('tenant-b'));
    const projectB = await newProject(adminB);
    const tokenB = (await adminB.call('POST', '/api/tokens', { name: 'b', projectIds: [projectB.id], scopes: ['read', 'write', 'events'] })).body;
    const callers: [string, Client][] = [
      ['B logged in', adminB],
      ['B token', tokenClient(api, tokenB.token)],
    ];

    const checked: string[] = [];
    // Log-out ends B's session: run it last.
    const ordered = [...routes].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    for (const route of ordered) {
      if (route.auth === 'public' || route.auth === 'ingest') continue;
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
        const id = idsOfA[name];
        assert.ok(id, `tenancy test: add a tenant-A id for :${name} (used by ${route.method.toUpperCase()} ${route.path})`);
        return encodeURIComponent(id);
      });
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const body = bodies[key] ?? (route.method === 'get' || route.method === 'delete' ? undefined : {});
      for (const [who, client] of callers) {
        const res: Reply = await client.call(route.method.toUpperCase(), path, body);
        const text = JSON.stringify(res.body);
        for (const secret of secretsOfA) assert.ok(!text.includes(secret), `${key} as ${who} leaked ${secret}: ${text}`);
        if (route.auth.startsWith('project') || key in bodies || route.path.includes(':')) {
          assert.ok([403, 404].includes(res.status), `${key} as ${who}: expected 403/404, got ${res.status} ${text}`);
        } else {
          assert.ok(res.status < 500, `${key} as ${who}: ${res.status} ${text}`);
        }
      }
      checked.push(key);
    }

    // Nothing of A changed: same members, invite still pending, token still works, settings untouched.
    const members = await adminA.call('GET', `/api/projects/${projectA.id}/members`);
    assert.equal(members.body.members.length, 2);
    const invites = await adminA.call('GET', `/api/projects/${projectA.id}/invites`);
    assert.deepEqual(invites.body.invites.map((i: { id: string }) => i.id), [inviteA.id]);
    assert.equal((await tokenClient(api, tokenA.token).call('GET', `/api/projects/${projectA.id}`)).body.ingestKey, projectA.ingestKey);
    const [alive] = await api.runtime.deps.db.sql.query<{ deleted_at: Date | null }>(`SELECT deleted_at FROM projects WHERE id = $1`, [projectA.id]);
    assert.equal(alive?.deleted_at, null, "B's DELETE did not touch A's project");
    assert.ok(checked.length >= 20, `only ${checked.length} routes checked`);
    assert.ok(checked.includes('GET /api/projects/:projectId/sessions/:sessionId'));
  });
});
