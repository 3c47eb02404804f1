import { z } from 'zod';
import { logIn, logInBody } from '../accounts/logIn.ts';
import { confirmResetBody, requestPasswordReset, requestResetBody, resetPassword } from '../accounts/passwordReset.ts';
import { signUp, signUpBody, userView } from '../accounts/signUp.ts';
import { createUserSession, deleteUserSession } from '../accounts/userSessions.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { publicUrl } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { getUser } from '../queries/getUser.ts';
import { userOf } from '../auth/authenticate.ts';
import { defineRoute } from './defineRoute.ts';

const sessionView = z.object({ user: userView, csrfToken: z.string() });
const clientIp = (ip: string | undefined): string => ip ?? 'unknown';

export const signUpRoute = defineRoute({
  method: 'post',
  path: '/api/auth/signup',
  summary: 'Create an account and log in (sets the session cookie).',
  tag: 'auth',
  auth: 'public',
  body: signUpBody,
  response: sessionView,
  status: 201,
  errors: [400, 409, 429],
  async handler({ body, deps, req, res }) {
    const user = await signUp(deps.db.sql, body, clientIp(req.ip), deps.config.LOUPE_SIGNUP_MAX_PER_IP);
    const session = await createUserSession(deps.db.sql, user.id, req.get('user-agent'));
    setSessionCookie(req, res, session.token, session.expiresAt);
    return { user, csrfToken: session.csrfToken };
  },
});

export const logInRoute = defineRoute({
  method: 'post',
  path: '/api/auth/login',
  summary: 'Log in with e-mail and password (sets the session cookie); limited per account and per IP.',
  tag: 'auth',
  auth: 'public',
  body: logInBody,
  response: sessionView,
  errors: [400, 401, 429],
  async handler({ body, deps, req, res }) {
    const user = await logIn(deps.db.sql, body, clientIp(req.ip), {
      maxFailuresPerEmail: deps.config.LOUPE_LOGIN_MAX_PER_EMAIL,
      maxAttemptsPerIp: deps.config.LOUPE_LOGIN_MAX_PER_IP,
    });
    const session = await createUserSession(deps.db.sql, user.id, req.get('user-agent'));
    setSessionCookie(req, res, session.token, session.expiresAt);
    return { user, csrfToken: session.csrfToken };
  },
});

export const logOutRoute = defineRoute({
  method: 'post',
  path: '/api/auth/logout',
  summary: 'End this log-in (the cookie stops working everywhere).',
  tag: 'auth',
  auth: 'user',
  status: 204,
  errors: [401, 403],
  async handler({ principal, deps, req, res }) {
    if (principal?.kind === 'user') await deleteUserSession(deps.db.sql, principal.sessionId);
    clearSessionCookie(req, res);
    return undefined;
  },
});

export const meRoute = defineRoute({
  method: 'get',
  path: '/api/auth/me',
  summary: 'The logged-in user and the CSRF token to send as X-CSRF-Token on writes.',
  tag: 'auth',
  auth: 'user',
  response: sessionView,
  errors: [401, 403],
  async handler({ principal, deps }) {
    const me = userOf(principal);
    const user = await getUser(deps.db.sql, me.userId);
    if (!user) throw new HttpError(401, 'unauthenticated', 'this account no longer exists');
    return { user, csrfToken: me.csrfToken };
  },
});

export const requestResetRoute = defineRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  summary: 'E-mail a password-reset link (answers 202 whether or not the address has an account).',
  tag: 'auth',
  auth: 'public',
  body: requestResetBody,
  status: 202,
  response: z.object({ sent: z.literal(true) }),
  errors: [400, 429],
  async handler({ body, deps, req }) {
    await requestPasswordReset(deps.db.sql, deps.mailer, body.email, clientIp(req.ip), publicUrl(deps.config), deps.config.LOUPE_RESET_MAX_PER_IP);
    return { sent: true as const };
  },
});

export const confirmResetRoute = defineRoute({
  method: 'post',
  path: '/api/auth/password-reset/confirm',
  summary: 'Set a new password with the e-mailed token; ends every log-in of the account.',
  tag: 'auth',
  auth: 'public',
  body: confirmResetBody,
  status: 204,
  errors: [400],
  async handler({ body, deps }) {
    await resetPassword(deps.db.sql, body.token, body.password);
    return undefined;
  },
});

export const authRoutes = [signUpRoute, logInRoute, logOutRoute, meRoute, requestResetRoute, confirmResetRoute];
