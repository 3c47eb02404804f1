import assert from 'node:assert/strict';
import { anonymous, newProject, randomEmail, readOutbox, signUp, tokenFromMail, type UserClient } from '../helpers/accounts.ts';
import { startTestApi, type TestApi } from '../helpers/testRuntime.ts';

/** A project with an admin, a member (joined through a real invite) and an outsider. */
async function team(api: TestApi) {
  const admin = await signUp(api, randomEmail('admin'));
  const member = await signUp(api, randomEmail('member'));
  const outsider = await signUp(api, randomEmail('outsider'));
  const project = await newProject(admin);
  await invite(api, admin, project.id, member);
  return { admin, member, outsider, project };
}

async function invite(api: TestApi, admin: UserClient, projectId: string, who: UserClient, role = 'member'): Promise<void> {
  const res = await admin.call('POST', `/api/projects/${projectId}/invites`, { email: who.email, role });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const token = await tokenFromMail(api, who.email, '/app/accept-invite');
  const ok = await who.call('POST', '/api/invites/accept', { token });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
}

describe('team: roles, invites, last admin', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('role matrix: each action × admin, member, outsider', async () => {
    const t = await team(api);
    const p = `/api/projects/${t.project.id}`;
    // [action, method, path, body, expected status for admin, member, outsider]; writes that succeed are replayed on
    // fresh state where needed, so each row is independent.
    type Row = [string, string, string, unknown, number, number, number];
    const rows: Row[] = [
      ['read project', 'GET', p, undefined, 200, 200, 404],
      ['list sessions', 'GET', `${p}/sessions`, undefined, 200, 200, 404],
      ['list members', 'GET', `${p}/members`, undefined, 200, 200, 404],
      ['change settings', 'PATCH', `${p}/settings`, { consentRequired: true }, 200, 403, 404],
      ['rename project', 'PATCH', p, { name: 'Renamed' }, 204, 403, 404],
      ['list invites', 'GET', `${p}/invites`, undefined, 200, 403, 404],
      ['invite', 'POST', `${p}/invites`, { email: randomEmail('x') }, 201, 403, 404],
      ['list tokens', 'GET', `${p}/tokens`, undefined, 200, 403, 404],
      ['change a role', 'PATCH', `${p}/members/${t.member.userId}`, { role: 'member' }, 200, 403, 404],
      ['remove the admin', 'DELETE', `${p}/members/${t.admin.userId}`, undefined, 409, 403, 404],
      ['rotate ingest key', 'POST', `${p}/ingest-key/rotate`, undefined, 200, 403, 404],
    ];
    for (const [action, method, path, body, ...expected] of rows) {
      const got = [];
      for (const who of [t.admin, t.member, t.outsider]) got.push((await who.call(method, path, body)).status);
      assert.deepEqual(got, expected, `${action}: admin/member/outsider`);
    }
    const tok = await t.member.call('POST', '/api/tokens', { name: 'm', projectIds: [t.project.id], scopes: ['read'] });
    assert.equal(tok.status, 403, 'members cannot mint tokens');
    const outTok = await t.outsider.call('POST', '/api/tokens', { name: 'o', projectIds: [t.project.id], scopes: ['read'] });
    assert.equal(outTok.status, 404, 'outsiders cannot even learn the project exists');
    const mine = await t.outsider.call('GET', '/api/projects');
    assert.deepEqual(mine.body.projects, []);
  });

  it('admins change roles and remove members; members can leave; the last admin can neither leave nor be demoted', async () => {
    const t = await team(api);
    const p = `/api/projects/${t.project.id}`;
    const demoteSelf = await t.admin.call('PATCH', `${p}/members/${t.admin.userId}`, { role: 'member' });
    assert.equal(demoteSelf.status, 409);
    assert.equal(demoteSelf.body.error, 'last_admin');
    assert.equal((await t.admin.call('DELETE', `${p}/members/${t.admin.userId}`)).status, 409, 'last admin cannot leave');
    assert.equal((await t.member.call('DELETE', `${p}/members/${t.admin.userId}`)).status, 403);
    // promote the member; now the first admin may step down, and the new admin is then the last one
    assert.equal((await t.admin.call('PATCH', `${p}/members/${t.member.userId}`, { role: 'admin' })).status, 200);
    assert.equal((await t.admin.call('PATCH', `${p}/members/${t.admin.userId}`, { role: 'member' })).status, 200);
    assert.equal((await t.admin.call('PATCH', `${p}/settings`, { consentRequired: true })).status, 403, 'the demotion took effect');
    assert.equal((await t.member.call('DELETE', `${p}/members/${t.member.userId}`)).status, 409);
    // a member leaves on their own
    assert.equal((await t.admin.call('DELETE', `${p}/members/${t.admin.userId}`)).status, 204);
    assert.equal((await t.admin.call('GET', p)).status, 404, 'gone means gone');
    const members = await t.member.call('GET', `${p}/members`);
    assert.deepEqual(members.body.members.map((m: { email: string; role: string }) => [m.email, m.role]), [[t.member.email, 'admin']]);
  });

  it('at most 10 pending invites: the 11th gets 409 saying why; withdrawing one frees a slot', async () => {
    const admin = await signUp(api);
    const { id } = await newProject(admin);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await admin.call('POST', `/api/projects/${id}/invites`, { email: randomEmail(`i${i}`) });
      assert.equal(r.status, 201);
      ids.push(r.body.id);
    }
    const eleventh = await admin.call('POST', `/api/projects/${id}/invites`, { email: randomEmail('i10') });
    assert.equal(eleventh.status, 409);
    assert.equal(eleventh.body.error, 'invite_limit');
    assert.match(eleventh.body.message, /at most 10 pending invites/);
    // re-inviting a pending address replaces its invite instead of taking a slot
    const list = await admin.call('GET', `/api/projects/${id}/invites`);
    const again = await admin.call('POST', `/api/projects/${id}/invites`, { email: list.body.invites[0].email });
    assert.equal(again.status, 201);
    assert.equal((await admin.call('GET', `/api/projects/${id}/invites`)).body.invites.length, 10);
    assert.equal((await admin.call('DELETE', `/api/projects/${id}/invites/${ids[3]}`)).status, 204);
    assert.equal((await admin.call('POST', `/api/projects/${id}/invites`, { email: randomEmail('i11') })).status, 201);
    // concurrent invites cannot overshoot the limit
    const burst = await Promise.all(
      Array.from({ length: 4 }, (_, i) => admin.call('POST', `/api/projects/${id}/invites`, { email: randomEmail(`b${i}`) })),
    );
    assert.ok(burst.every((r) => r.status === 409));
    const [n] = await api.runtime.deps.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM invites WHERE project_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [id],
    );
    assert.equal(n!.n, 10);
  });

  it('invites expire, cannot be used twice, and fail cleanly for the wrong account', async () => {
    const admin = await signUp(api);
    const { id } = await newProject(admin);
    const invitee = await signUp(api);
    const stranger = await signUp(api);
    await admin.call('POST', `/api/projects/${id}/invites`, { email: invitee.email, role: 'admin' });
    const token = await tokenFromMail(api, invitee.email, '/app/accept-invite');
    const wrong = await stranger.call('POST', '/api/invites/accept', { token });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, 'invite_wrong_account');
    assert.ok(!wrong.body.message.includes(invitee.email), 'does not reveal the invited address in full');
    assert.equal((await stranger.call('GET', `/api/projects/${id}`)).status, 404, 'the wrong account gained nothing');
    const ok = await invitee.call('POST', '/api/invites/accept', { token });
    assert.deepEqual(ok.body, { projectId: id, role: 'admin' });
    assert.equal((await invitee.call('POST', '/api/invites/accept', { token })).status, 200, 'accepting twice is harmless');
    const late = await signUp(api);
    await admin.call('POST', `/api/projects/${id}/invites`, { email: late.email });
    const lateToken = await tokenFromMail(api, late.email, '/app/accept-invite');
    await api.runtime.deps.db.sql.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE email = $1`, [late.email]);
    const expired = await late.call('POST', '/api/invites/accept', { token: lateToken });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.error, 'invite_expired');
    const bogus = await late.call('POST', '/api/invites/accept', { token: 'x'.repeat(43) });
    assert.equal(bogus.status, 404);
    assert.equal((await anonymous(api).call('POST', '/api/invites/accept', { token: lateToken })).status, 401);
  });

  it('the invite e-mail names the project and the inviter, and links to the dashboard', async () => {
    const admin = await signUp(api);
    const { id } = await newProject(admin, { name: 'Boutique Nord' });
    const who = randomEmail('mail');
    await admin.call('POST', `/api/projects/${id}/invites`, { email: who });
    const token = await tokenFromMail(api, who, '/app/accept-invite');
    const mail = (await readOutbox(api)).filter((m) => m.to.includes(who)).at(-1)!;
    assert.match(mail.subject, /Boutique Nord/);
    assert.match(mail.subject, new RegExp(admin.email.replace(/[.+]/g, '\\$&')));
    assert.match(mail.text, new RegExp(`${api.config.LOUPE_PUBLIC_URL ?? 'http://127.0.0.1'}[^\\s]*/app/accept-invite\\?token=`));
    assert.ok(token.length >= 40, 'an unguessable token');
    const [row] = await api.runtime.deps.db.sql.query<{ token_hash: string }>(`SELECT token_hash FROM invites WHERE email = $1`, [who]);
    assert.notEqual(row!.token_hash, token, 'only a hash is stored');
  });
});
