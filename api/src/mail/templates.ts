import type { Mail } from './mailer.ts';

/** Account e-mail texts. Links point at the dashboard (`publicUrl`), which reads the token from the query string. */
export function passwordResetMail(to: string, link: string, validMinutes: number): Mail {
  return {
    to,
    subject: 'Reset your Loupe password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Loupe account.',
      '',
      `Choose a new password here (the link works once, for ${validMinutes} minutes):`,
      link,
      '',
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
}

export function inviteMail(to: string, projectName: string, inviter: string, role: string, link: string, validDays: number): Mail {
  return {
    to,
    subject: `${inviter} invited you to "${projectName}" on Loupe`,
    text: [
      `${inviter} invited you to join the Loupe project "${projectName}" as ${role === 'admin' ? 'an admin' : 'a member'}.`,
      '',
      `Accept within ${validDays} days, logged in as ${to} (create an account with that address if you have none):`,
      link,
    ].join('\n'),
  };
}
