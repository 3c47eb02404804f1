import assert from 'node:assert/strict';
import { newProject, randomEmail, signUp, tokenClient, tokenFromMail } from '../helpers/accounts.ts';
import { startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe('API tokens: scopes, projects, revocation', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('is shown once, stored hashed, and does exactly what its scopes allow', async () => {
    const admin = await signUp(api);
    const { id } = await newProject(admin);
    const mint = async (scopes: string[]) => {
      const r = await admin.call('POST', '/api/tokens', { name: scopes.join('+'), projectIds: [id], scopes });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; token: string };
    };
    const read = await mint(['read']);
    const write = await mint(['write']);
    const events = await mint(['events']);
    const [stored] = await api.runtime.deps.db.sql.query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens WHERE id = $1`, [read.id]);
    assert.notEqual(stored!.token_hash, read.token);
    const listed = await admin.call('GET', '/api/tokens');
    assert.equal(JSON.stringify(listed.body).includes(read.token), false, 'never listed again');
    assert.equal(listed.body.tokens.length, 3);

    const p = `/api/projects/${id}`;
    const matrix: [string, string, unknown, number, number, number][] = [
      // method, path, body, read, write, events
      ['GET', `${p}/sessions`, undefined, 200, 200, 403],
      ['PATCH', `${p}/settings`, { consentRequired: true }, 403, 200, 403],
      ['GET', `${p}/invites`, undefined, 403, 403, 403],
      ['POST', `${p}/ingest-key/rotate`, undefined, 403, 403, 403],
      ['GET', '/api/projects', undefined, 403, 403, 403],
    ];
    for (const [method, path, body, ...expected] of matrix) {
      const got = [];
      for (const t of [read, write, events]) got.push((await tokenClient(api, t.token).call(method, path, body)).status);
      assert.deepEqual(got, expected, `${method} ${path}: read/write/events`);
    }
    assert.equal((await admin.call('DELETE', `/api/tokens/${read.id}`)).status, 204);
    const revoked = await tokenClient(api, read.token).call('GET', `${p}/sessions`);
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.message, /revoked/);
  });

  it('reaches only the projects it names; an admin can cut it off from theirs only', async () => {
    const admin = await signUp(api);
    const a = await newProject(admin);
    const b = await newProject(admin);
    const c = await newProject(admin);
    const t = (await admin.call('POST', '/api/tokens', { name: 'ab', projectIds: [a.id, b.id], scopes: ['read'] })).body;
    const client = tokenClient(api, t.token);
    assert.equal((await client.call('GET', `/api/projects/${a.id}`)).status, 200);
    assert.equal((await client.call('GET', `/api/projects/${b.id}`)).status, 200);
    assert.equal((await client.call('GET', `/api/projects/${c.id}`)).status, 404);
    assert.equal((await admin.call('DELETE', `/api/projects/${a.id}/tokens/${t.id}`)).status, 204);
    assert.equal((await client.call('GET', `/api/projects/${a.id}`)).status, 404);
    assert.equal((await client.call('GET', `/api/projects/${b.id}`)).status, 200, 'still reaches b');
    assert.equal((await admin.call('DELETE', `/api/projects/${b.id}/tokens/${t.id}`)).status, 204);
    assert.equal((await client.call('GET', `/api/projects/${b.id}`)).status, 401, 'no project left: revoked');
  });

  it("acts with its creator's current role: demoting or removing the creator disarms it", async () => {
    const owner = await signUp(api);
    const { id } = await newProject(owner);
    const second = await signUp(api, randomEmail('second'));
    await owner.call('POST', `/api/projects/${id}/invites`, { email: second.email, role: 'admin' });
    await second.call('POST', '/api/invites/accept', { token: await tokenFromMail(api, second.email, '/app/accept-invite') });
    const t = (await second.call('POST', '/api/tokens', { name: 'w', projectIds: [id], scopes: ['read', 'write'] })).body;
    const client = tokenClient(api, t.token);
    assert.equal((await client.call('PATCH', `/api/projects/${id}/settings`, { consentRequired: true })).status, 200);
    await owner.call('PATCH', `/api/projects/${id}/members/${second.userId}`, { role: 'member' });
    assert.equal((await client.call('PATCH', `/api/projects/${id}/settings`, { consentRequired: false })).status, 403);
    assert.equal((await client.call('GET', `/api/projects/${id}/sessions`)).status, 200, 'a member may still read');
    await owner.call('DELETE', `/api/projects/${id}/members/${second.userId}`);
    assert.equal((await client.call('GET', `/api/projects/${id}/sessions`)).status, 404);
  });

  it('validates what is asked for', async () => {
    const admin = await signUp(api);
    const { id } = await newProject(admin);
    const bad = await admin.call('POST', '/api/tokens', { name: 'x', projectIds: [id], scopes: ['root'] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.field, /^scopes/);
    const none = await admin.call('POST', '/api/tokens', { name: 'x', projectIds: [] });
    assert.equal(none.status, 400);
    assert.equal((await admin.call('DELETE', '/api/tokens/tok_nope')).status, 404);
  });
});
