import { page } from './layout.ts';

export const acceptInvitePage = (): string =>
  page(
    'Join a Loupe project',
    `<p id="who"></p>
<form id="login" hidden><p>Log in with the address the invite was sent to.</p>
<label for="email">E-mail</label><input id="email" type="email" autocomplete="username" required>
<label for="pw">Password</label><input id="pw" type="password" autocomplete="current-password" required>
<button type="submit">Log in and join</button></form>
<button id="accept" hidden>Accept the invite</button>`,
    `async function accept(csrf) {
  const r = await api('POST', '/api/invites/accept', { token }, csrf);
  if (r.status === 200) { document.getElementById('accept').hidden = true; show('You joined the project as ' + r.json.role + '.', true); }
  else show((r.json && r.json.message) || 'Something went wrong (' + r.status + ')', false);
}
(async () => {
  const me = await api('GET', '/api/auth/me');
  if (me.status === 200) {
    document.getElementById('who').textContent = 'Logged in as ' + me.json.user.email + '.';
    const b = document.getElementById('accept'); b.hidden = false; b.onclick = () => accept(me.json.csrfToken);
  } else document.getElementById('login').hidden = false;
})();
document.getElementById('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await api('POST', '/api/auth/login', { email: document.getElementById('email').value, password: document.getElementById('pw').value });
  if (r.status !== 200) return show((r.json && r.json.message) || 'Log-in failed (' + r.status + ')', false);
  document.getElementById('login').hidden = true;
  await accept(r.json.csrfToken);
});`,
  );
