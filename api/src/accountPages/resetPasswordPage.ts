import { page } from './layout.ts';

export const resetPasswordPage = (): string =>
  page(
    'Choose a new password',
    `<form id="f"><label for="pw">New password (10 characters or more)</label>
<input id="pw" type="password" autocomplete="new-password" minlength="10" required>
<button type="submit">Set password</button></form>`,
    `document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await api('POST', '/api/auth/password-reset/confirm', { token, password: document.getElementById('pw').value });
  if (r.status === 204) { document.getElementById('f').hidden = true; show('Your password is changed. Log in with it from now on.', true); }
  else show((r.json && r.json.message) || 'Something went wrong (' + r.status + ')', false);
});`,
  );
