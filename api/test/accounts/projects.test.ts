import assert from 'node:assert/strict';
import { makeBatch } from '@loupe/contract/testing';
import { newProject, signUp } from '../helpers/accounts.ts';
import { postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe('projects: create, list, domains, ingest-key rotation', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ LOUPE_INGEST_KEY_GRACE_HOURS: '72' }, { workers: false });
  });
  after(async () => api?.close());

  it('creates projects (unlimited, creator is admin) and lists only your own', async () => {
    const u = await signUp(api);
    const other = await signUp(api);
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await newProject(u, { category: 'fashion', domains: ['Shop.Example.COM.'] }));
    await newProject(other);
    const list = await u.call('GET', '/api/projects');
    assert.deepEqual(list.body.projects.map((p: { id: string }) => p.id), created.map((p) => p.id));
    assert.deepEqual(list.body.projects[0].domains, ['shop.example.com']);
    assert.equal(list.body.projects[0].role, 'admin');
    const one = await u.call('GET', `/api/projects/${created[0]!.id}`);
    assert.match(one.body.installSnippet, new RegExp(`/t/${one.body.ingestKey}\\.js`));
    assert.equal(one.body.settings.recording.dailyCap, 100_000);
    assert.equal(one.body.settings.retention.recordingsDays, 30);
    const bad = await u.call('POST', '/api/projects', { name: 'x', domains: ['https://shop.example.com/path'] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /host name/);
    const badCategory = await u.call('POST', '/api/projects', { name: 'x', category: 'weapons' });
    assert.equal(badCategory.status, 400);
  });

  it("a project's domains (and their subdomains) may send data", async () => {
    const u = await signUp(api);
    const p = await newProject(u, { domains: ['boutique.example'] });
    const send = (origin: string) => postBatch(api, makeBatch({ projectKey: p.ingestKey }), { origin });
    assert.equal((await send('https://boutique.example')).status, 200);
    assert.equal((await send('https://www.boutique.example')).status, 200);
    assert.equal((await send('https://evil-boutique.example')).status, 403);
    await u.call('PATCH', `/api/projects/${p.id}`, { domains: ['other.example'] });
    assert.equal((await send('https://www.boutique.example')).status, 403, 'domain changes apply at once in this process');
  });

  it('rotating the ingest key keeps the old one working for the grace period only', async () => {
    const u = await signUp(api);
    const p = await newProject(u, { domains: ['rotate.example'] });
    const send = (key: string) => postBatch(api, makeBatch({ projectKey: key }), { origin: 'https://rotate.example' });
    const r = await u.call('POST', `/api/projects/${p.id}/ingest-key/rotate`);
    assert.equal(r.status, 200);
    assert.equal(r.body.previousIngestKey, p.ingestKey);
    const grace = Date.parse(r.body.previousIngestKeyExpiresAt) - Date.now();
    assert.ok(Math.abs(grace - 72 * 3600_000) < 60_000, `grace ${grace} ms`);
    assert.notEqual(r.body.ingestKey, p.ingestKey);
    assert.equal((await send(r.body.ingestKey)).status, 200);
    assert.equal((await send(p.ingestKey)).status, 200, 'old key still accepted');
    const shown = await u.call('GET', `/api/projects/${p.id}`);
    assert.equal(shown.body.previousIngestKey, p.ingestKey);
    // pages still carrying the old snippet get a script that speaks the new key
    const script = await fetch(`${api.url}/t/${p.ingestKey}.js`);
    assert.equal(script.status, 200);
    const js = await script.text();
    assert.ok(js.includes(r.body.ingestKey) && !js.includes(p.ingestKey), 'the served script carries the current key only');
    await api.runtime.deps.db.sql.query(`UPDATE projects SET previous_ingest_key_expires_at = now() - interval '1 second' WHERE id = $1`, [p.id]);
    api.runtime.deps.projects.invalidate();
    assert.equal((await send(p.ingestKey)).status, 404, 'grace over');
    assert.equal((await fetch(`${api.url}/t/${p.ingestKey}.js`)).status, 404);
    assert.equal((await send(r.body.ingestKey)).status, 200);
    // a second rotation retires the first key at once
    const r2 = await u.call('POST', `/api/projects/${p.id}/ingest-key/rotate`);
    api.runtime.deps.projects.invalidate();
    assert.equal((await send(r.body.ingestKey)).status, 200);
    assert.equal((await send(r2.body.ingestKey)).status, 200);
  });
});
