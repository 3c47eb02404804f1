/**
 * The pages e-mailed links land on, driven in a real Chromium: a person follows the reset link and the invite link
 * from the outbox and completes each flow with the page's own form.
 */
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { anonymous, logIn, newProject, randomEmail, signUp, tokenFromMail } from '../helpers/accounts.ts';
import { browserGate, CHROMIUM } from '../helpers/browserGate.ts';
import { startTestApi, type TestApi } from '../helpers/testRuntime.ts';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

describe('account pages in a real browser', function () {
  this.timeout(120_000);
  let api: TestApi | undefined;
  let browser: Browser | undefined;

  before(async function () {
    browserGate(this, 'account pages in a real browser');
    api = await startTestApi({}, { workers: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  it('the reset link from the e-mail sets a new password, and the token leaves the address bar', async () => {
    assert.ok(api && browser);
    const u = await signUp(api);
    await anonymous(api).call('POST', '/api/auth/password-reset', { email: u.email });
    const token = await tokenFromMail(api, u.email, '/app/reset-password');
    const page = await browser.newPage();
    const res = await page.goto(`${api.url}/app/reset-password?token=${encodeURIComponent(token)}`);
    assert.equal(res?.headers()['referrer-policy'], 'no-referrer');
    assert.equal(page.url().includes(token), false, 'token removed from the URL (history, screenshots)');
    await page.fill('#pw', 'a brand new browser passphrase');
    await page.click('button[type=submit]');
    await page.waitForSelector('#msg.ok');
    assert.match(await page.textContent('#msg') ?? '', /password is changed/);
    await logIn(api, u.email, 'a brand new browser passphrase');
    await page.close();
  });

  it('the invite link logs the invited person in and joins them to the project; a wrong account is told why', async () => {
    assert.ok(api && browser);
    const admin = await signUp(api);
    const project = await newProject(admin);
    const invitee = await signUp(api, randomEmail('invitee'));
    const stranger = await signUp(api, randomEmail('stranger'));
    await admin.call('POST', `/api/projects/${project.id}/invites`, { email: invitee.email });
    const token = await tokenFromMail(api, invitee.email, '/app/accept-invite');
    const link = `${api.url}/app/accept-invite?token=${encodeURIComponent(token)}`;

    const wrong = await browser.newContext();
    const wrongPage = await wrong.newPage();
    await wrongPage.goto(link);
    await wrongPage.fill('#email', stranger.email);
    await wrongPage.fill('#pw', stranger.password);
    await wrongPage.click('#login button[type=submit]');
    await wrongPage.waitForSelector('#msg.err');
    assert.match(await wrongPage.textContent('#msg') ?? '', /log in with the invited address/);
    await wrong.close();

    const right = await browser.newContext();
    const page = await right.newPage();
    await page.goto(link);
    await page.fill('#email', invitee.email);
    await page.fill('#pw', invitee.password);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#msg.ok');
    assert.match(await page.textContent('#msg') ?? '', /joined the project as member/);
    await right.close();
    assert.equal((await invitee.call('GET', `/api/projects/${project.id}`)).status, 200);
  });
});
