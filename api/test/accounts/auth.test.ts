import assert from 'node:assert/strict';
import { anonymous, logIn, PASSWORD, randomEmail, readOutbox, signUp, tokenFromMail } from '../helpers/accounts.ts';
import { startTestApi, type TestApi } from '../helpers/testRuntime.ts';

const randomIp = (): string => `10.${Array.from({ length: 3 }, () => Math.floor(Math.random() * 250) + 1).join('.')}`;

describe('accounts: sign-up, log-in, log-out, CSRF', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('signs up, sets an httpOnly SameSite session cookie, and knows who is logged in', async () => {
    const email = randomEmail();
    const res = await anonymous(api).call('POST', '/api/auth/signup', { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: 'Ann' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.user.email, email, 'e-mail trimmed and lower-cased');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('loupe_session='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(JSON.stringify(res.body), /password/i, 'no password (hash) in the answer');
    const me = await anonymous(api).call('GET', '/api/auth/me', undefined, { cookie: cookie.split(';')[0]! });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, email);
    assert.equal(me.body.csrfToken, res.body.csrfToken);
    const [row] = await api.runtime.deps.db.sql.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [email]);
    assert.match(row!.password_hash, /^\$argon2id\$/, 'stored as an argon2id hash');
  });

  it('refuses a taken e-mail (409), a short password and a bad address (400 naming the field)', async () => {
    const u = await signUp(api);
    const dup = await anonymous(api).call('POST', '/api/auth/signup', { email: u.email, password: PASSWORD });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error, 'email_taken');
    const short = await anonymous(api).call('POST', '/api/auth/signup', { email: randomEmail(), password: 'short' });
    assert.equal(short.status, 400);
    assert.equal(short.body.field, 'password');
    assert.match(short.body.message, /at least 10/);
    const bad = await anonymous(api).call('POST', '/api/auth/signup', { email: 'not-an-address', password: PASSWORD });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'email');
  });

  it('logs in with the right password only, and logs out (the cookie stops working)', async () => {
    const u = await signUp(api);
    const wrong = await anonymous(api).call('POST', '/api/auth/login', { email: u.email, password: 'wrong password!' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_credentials');
    const unknown = await anonymous(api).call('POST', '/api/auth/login', { email: randomEmail(), password: PASSWORD });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.message, wrong.body.message, 'unknown accounts are indistinguishable');
    const again = await logIn(api, u.email);
    assert.equal((await again.call('GET', '/api/auth/me')).status, 200);
    assert.equal((await again.call('POST', '/api/auth/logout')).status, 204);
    const after = await again.call('GET', '/api/auth/me');
    assert.equal(after.status, 401);
    assert.equal((await u.call('GET', '/api/auth/me')).status, 200, 'other log-ins of the account live on');
  });

  it('requires the CSRF token on cookie-authenticated writes, not on reads or token calls', async () => {
    const u = await signUp(api);
    const none = await u.call('POST', '/api/projects', { name: 'x' }, { 'x-csrf-token': '' });
    assert.equal(none.status, 403);
    assert.equal(none.body.error, 'csrf_failed');
    const wrong = await u.call('POST', '/api/projects', { name: 'x' }, { 'x-csrf-token': u.csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    assert.equal(wrong.status, 403);
    const other = await signUp(api);
    const foreign = await u.call('POST', '/api/projects', { name: 'x' }, { 'x-csrf-token': other.csrf });
    assert.equal(foreign.status, 403, "another session's token does not work");
    assert.equal((await u.call('GET', '/api/projects', undefined, { 'x-csrf-token': '' })).status, 200);
    assert.equal((await u.call('POST', '/api/projects', { name: 'x' })).status, 201);
    const [n] = await api.runtime.deps.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships WHERE user_id = $1`,
      [u.userId],
    );
    assert.equal(n!.n, 1, 'refused writes changed nothing');
  });

  it('a forged or expired cookie is 401', async () => {
    const u = await signUp(api);
    assert.equal((await anonymous(api).call('GET', '/api/auth/me', undefined, { cookie: 'loupe_session=forged' })).status, 401);
    await api.runtime.deps.db.sql.query(`UPDATE user_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.userId]);
    const res = await u.call('GET', '/api/auth/me');
    assert.equal(res.status, 401);
    assert.match(res.body.message, /expired/);
  });
});

describe('accounts: log-in rate limits', () => {
  let api: TestApi;
  before(async () => {
    // Behind one trusted proxy, each test picks its own client IP, so counters from other tests and runs do not interfere.
    api = await startTestApi({ LOUPE_LOGIN_MAX_PER_EMAIL: '3', LOUPE_LOGIN_MAX_PER_IP: '12', LOUPE_TRUST_PROXY: '1' }, { workers: false });
  });
  after(async () => api?.close());

  it('locks an account after 3 failures (even the right password), with Retry-After, without locking others', async () => {
    const ip = { 'x-forwarded-for': randomIp() };
    const victim = await signUp(api);
    const bystander = await signUp(api);
    for (let i = 0; i < 3; i++) {
      const r = await anonymous(api).call('POST', '/api/auth/login', { email: victim.email, password: `guess number ${i}` }, ip);
      assert.equal(r.status, 401);
    }
    const locked = await anonymous(api).call('POST', '/api/auth/login', { email: victim.email, password: PASSWORD }, ip);
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error, 'too_many_attempts');
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
    assert.equal((await anonymous(api).call('POST', '/api/auth/login', { email: bystander.email, password: PASSWORD }, ip)).status, 200);
    // the window passing lifts the lock
    await api.runtime.deps.db.sql.query(`UPDATE auth_throttle SET window_start = now() - interval '16 minutes' WHERE key = $1`, [
      `login:email:${victim.email}`,
    ]);
    assert.equal((await anonymous(api).call('POST', '/api/auth/login', { email: victim.email, password: PASSWORD }, ip)).status, 200);
  });

  it('limits attempts per client IP across accounts', async () => {
    const ip = { 'x-forwarded-for': randomIp() };
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await anonymous(api).call('POST', '/api/auth/login', { email: randomEmail(), password: PASSWORD }, ip)).status);
    }
    const elsewhere = await anonymous(api).call('POST', '/api/auth/login', { email: randomEmail(), password: PASSWORD }, { 'x-forwarded-for': randomIp() });
    assert.equal(elsewhere.status, 401, 'another address is not limited');
    assert.deepEqual(statuses.slice(0, 12), Array(12).fill(401));
    assert.deepEqual(statuses.slice(12), [429, 429]);
  });
});

describe('accounts: password reset by e-mailed token', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('mails a one-time link; the new password works, the old one and every session stop', async () => {
    const u = await signUp(api);
    const res = await anonymous(api).call('POST', '/api/auth/password-reset', { email: u.email });
    assert.equal(res.status, 202);
    const token = await tokenFromMail(api, u.email, '/app/reset-password');
    const newPassword = 'a completely new passphrase';
    const ok = await anonymous(api).call('POST', '/api/auth/password-reset/confirm', { token, password: newPassword });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));
    assert.equal((await u.call('GET', '/api/auth/me')).status, 401, 'existing log-ins end');
    assert.equal((await anonymous(api).call('POST', '/api/auth/login', { email: u.email, password: PASSWORD })).status, 401);
    await logIn(api, u.email, newPassword);
    const reuse = await anonymous(api).call('POST', '/api/auth/password-reset/confirm', { token, password: 'yet another passphrase' });
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_reset_token');
  });

  it('answers the same for unknown addresses and sends nothing; expired tokens fail', async () => {
    const before = (await readOutbox(api)).length;
    const ghost = randomEmail('ghost');
    const res = await anonymous(api).call('POST', '/api/auth/password-reset', { email: ghost });
    assert.equal(res.status, 202);
    const mails = await readOutbox(api);
    assert.equal(mails.length, before);
    const u = await signUp(api);
    await anonymous(api).call('POST', '/api/auth/password-reset', { email: u.email });
    const token = await tokenFromMail(api, u.email, '/app/reset-password');
    await api.runtime.deps.db.sql.query(`UPDATE password_resets SET expires_at = now() - interval '1 second'`);
    const late = await anonymous(api).call('POST', '/api/auth/password-reset/confirm', { token, password: 'too late passphrase' });
    assert.equal(late.status, 400);
  });
});
