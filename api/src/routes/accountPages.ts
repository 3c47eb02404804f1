import { acceptInvitePage } from '../accountPages/acceptInvitePage.ts';
import { PAGE_HEADERS } from '../accountPages/layout.ts';
import { resetPasswordPage } from '../accountPages/resetPasswordPage.ts';
import { defineRoute } from './defineRoute.ts';

export const resetPasswordPageRoute = defineRoute({
  method: 'get',
  path: '/app/reset-password',
  summary: 'Page the password-reset e-mail links to (HTML).',
  tag: 'pages',
  auth: 'public',
  produces: 'text/html',
  async handler({ res }) {
    res.set(PAGE_HEADERS);
    return resetPasswordPage();
  },
});

export const acceptInvitePageRoute = defineRoute({
  method: 'get',
  path: '/app/accept-invite',
  summary: 'Page the invite e-mail links to (HTML): log in as the invited address and join.',
  tag: 'pages',
  auth: 'public',
  produces: 'text/html',
  async handler({ res }) {
    res.set(PAGE_HEADERS);
    return acceptInvitePage();
  },
});

export const accountPageRoutes = [resetPasswordPageRoute, acceptInvitePageRoute];
