/**
 * Test clients for the account API: a browser-like client (session cookie + CSRF header) and a token client,
 * both talking to a real running api over HTTP, plus a reader for the e-mail outbox.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { TestApi } from './testRuntime.ts';

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into JSON answers freely
  body: any;
  headers: Headers;
}

export interface Client {
  call(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<Reply>;
}

export interface UserClient extends Client {
  userId: string;
  email: string;
  password: string;
  cookie: string;
  csrf: string;
}

export const PASSWORD = 'correct horse battery staple';
export const randomEmail = (tag = 'u'): string => `${tag}-${randomBytes(5).toString('hex')}@example.com`;

async function request(api: TestApi, method: string, p: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const res = await fetch(`${api.url}${p}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** An anonymous client (no cookie, no token). */
export const anonymous = (api: TestApi): Client => ({ call: (m, p, b, h = {}) => request(api, m, p, h, b) });

/** A client with an API token. */
export const tokenClient = (api: TestApi, token: string): Client => ({
  call: (m, p, b, h = {}) => request(api, m, p, { authorization: `Bearer ${token}`, ...h }, b),
});

function sessionCookie(res: Reply): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('loupe_session='));
  if (!set) throw new Error(`no session cookie in ${res.status} ${JSON.stringify(res.body)}`);
  return set.split(';')[0]!;
}

function userClient(api: TestApi, res: Reply, email: string, password: string): UserClient {
  const cookie = sessionCookie(res);
  const csrf = res.body.csrfToken as string;
  return {
    userId: res.body.user.id,
    email,
    password,
    cookie,
    csrf,
    call: (m, p, b, h = {}) => request(api, m, p, { cookie, 'x-csrf-token': csrf, ...h }, b),
  };
}

/** Signs a new user up and returns a logged-in client. */
export async function signUp(api: TestApi, email = randomEmail(), password = PASSWORD): Promise<UserClient> {
  const res = await request(api, 'POST', '/api/auth/signup', {}, { email, password });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return userClient(api, res, email, password);
}

export async function logIn(api: TestApi, email: string, password = PASSWORD): Promise<UserClient> {
  const res = await request(api, 'POST', '/api/auth/login', {}, { email, password });
  if (res.status !== 200) throw new Error(`log-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return userClient(api, res, email, password);
}

/** Creates a project through the API as `user` (who becomes its admin). */
export async function newProject(user: UserClient, extra: Record<string, unknown> = {}): Promise<{ id: string; ingestKey: string }> {
  const res = await user.call('POST', '/api/projects', { name: `p-${randomBytes(3).toString('hex')}`, ...extra });
  if (res.status !== 201) throw new Error(`project create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
}

/** Mails written to the api's outbox folder, oldest first, decoded by a real MIME parser. */
export async function readOutbox(api: TestApi): Promise<OutboxMail[]> {
  const dir = api.config.LOUPE_OUTBOX_DIR;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
  const mails: OutboxMail[] = [];
  for (const f of files) {
    const parsed = await simpleParser(await readFile(path.join(dir, f)));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
    mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '' });
  }
  return mails;
}

/** The token in the newest link to `route` e-mailed to `to`. */
export async function tokenFromMail(api: TestApi, to: string, route: string): Promise<string> {
  const mails = (await readOutbox(api)).filter((m) => m.to.includes(to));
  const last = mails.at(-1);
  if (!last) throw new Error(`no mail to ${to}`);
  const m = new RegExp(`${route}\\?token=([A-Za-z0-9_%-]+)`).exec(last.text);
  if (!m?.[1]) throw new Error(`no ${route} link in mail: ${last.text}`);
  return decodeURIComponent(m[1]);
}

/** A logged-in admin of an existing project (made directly in the database, for tests that start from a token). */
export async function adminOf(api: TestApi, projectId: string): Promise<UserClient> {
  const admin = await signUp(api, randomEmail('admin'));
  await api.runtime.deps.db.sql.query(`INSERT INTO memberships (project_id, user_id, role) VALUES ($1, $2, 'admin')`, [projectId, admin.userId]);
  return admin;
}
