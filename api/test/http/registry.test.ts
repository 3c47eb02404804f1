import assert from 'node:assert/strict';
import { createApp } from '../../src/app.ts';
import { mountedRoutes } from '../../src/http/mountRoutes.ts';
import { routes } from '../../src/routes/index.ts';
import { makeProject, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe('route registry', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('every route Express serves is declared in the registry, and vice versa', () => {
    const app = createApp(api.runtime.deps);
    const mounted = mountedRoutes(app).sort();
    const declared = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    assert.deepEqual(mounted, declared);
    // the check itself can fail: a route added behind the registry's back shows up
    app.get('/sneaky', (_req, res) => void res.send('x'));
    assert.ok(mountedRoutes(app).includes('GET /sneaky'));
  });

  it('every route declares its auth, and project routes take :projectId', () => {
    for (const r of routes) {
      assert.ok(['public', 'ingest', 'user', 'projectRead', 'projectWrite', 'projectAdmin', 'projectEvents'].includes(r.auth), `${r.path} has no auth`);
      // project routes act on :projectId, and every route under a project is a project route
      assert.equal(r.auth.startsWith('project'), r.path.includes(':projectId'), `${r.method} ${r.path} (${r.auth})`);
    }
  });

  it('serves an OpenAPI document generated from the registry, and a readable docs page', async () => {
    const doc = await (await fetch(`${api.url}/openapi.json`)).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const r of routes) {
      const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      assert.ok(doc.paths[path]?.[r.method], `${r.method} ${path} missing from OpenAPI`);
    }
    const sessions = doc.paths['/api/projects/{projectId}/sessions'].get;
    assert.deepEqual(sessions.security, [{ session: [] }, { apiToken: [] }]);
    assert.equal(sessions['x-loupe-auth'], 'projectRead');
    assert.ok(sessions.parameters.some((p: { name: string; in: string }) => p.name === 'limit' && p.in === 'query'));
    const html = await (await fetch(`${api.url}/docs`)).text();
    assert.match(html, /<h1>Loupe API<\/h1>/);
    assert.match(html, /\/api\/projects\/\{projectId\}\/sessions/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${api.url}/nope`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, 'not_found');
  });
});

describe('project routes: authorization', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('401 without a token, with a malformed one, and with a revoked one', async () => {
    const p = await makeProject(api);
    const url = `${api.url}/api/projects/${p.id}`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status, 401);
    await api.runtime.deps.db.prisma.apiToken.updateMany({ where: { projects: { some: { projectId: p.id } } }, data: { revokedAt: new Date() } });
    const res = await fetch(url, { headers: { authorization: `Bearer ${p.token}` } });
    assert.equal(res.status, 401);
    assert.match((await res.json()).message, /revoked/);
  });

  it('reads and changes settings, validating them', async () => {
    const p = await makeProject(api);
    const headers = { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' };
    const url = `${api.url}/api/projects/${p.id}/settings`;
    const ok = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify({ recording: { sampleRate: 0.5 }, timeZone: 'Europe/Paris' }) });
    const settings = await ok.json();
    assert.equal(ok.status, 200, JSON.stringify(settings));
    assert.equal(settings.recording.sampleRate, 0.5);
    assert.equal(settings.recording.dailyCap, 100_000, 'nested objects merge');
    assert.equal(settings.timeZone, 'Europe/Paris');
    const bad = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify({ timeZone: 'Mars/Base' }) });
    const err = await bad.json();
    assert.equal(bad.status, 400);
    assert.equal(err.field, 'timeZone');
    const malformed = await fetch(url, { method: 'PATCH', headers, body: '{nope' });
    assert.equal(malformed.status, 400);
    const project = await (await fetch(`${api.url}/api/projects/${p.id}`, { headers })).json();
    assert.equal(project.settings.timeZone, 'Europe/Paris');
  });

  it('400 naming the query field for an invalid listing', async () => {
    const p = await makeProject(api);
    const res = await fetch(`${api.url}/api/projects/${p.id}/sessions?limit=9999`, { headers: { authorization: `Bearer ${p.token}` } });
    const body = await res.json();
    assert.equal(res.status, 400);
    assert.equal(body.field, 'limit');
    const inverted = await fetch(`${api.url}/api/projects/${p.id}/sessions?from=2026-02-01&to=2026-01-01`, { headers: { authorization: `Bearer ${p.token}` } });
    assert.equal(inverted.status, 400);
    assert.equal((await inverted.json()).field, 'from');
  });
});
