/**
 * The masking table, end to end: a corpus (card numbers, e-mail addresses, phone numbers, passwords, addresses,
 * free text, form values, marked regions, an image, a URL, a title and an error message) on a recorded page under
 * each mode; then every request body the api received (events and recording chunks, decompressed) and every
 * request URL to Loupe is searched. Attribute values (title, placeholder, aria-label, alt, radio values, mailto:
 * links, data-*, in the snapshot and in later mutations), custom tag values and event names are in the corpus too.
 * What the mode hides must be absent; what it shows must be there (so the test cannot pass by recording nothing).
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, type TestApi } from '../helpers/testRuntime.ts';
import { inboxBodies, recordingTexts, trackerProject, useBrowserSuite, visit, type Fixtures } from './browserHarness.ts';

const URL_EMAIL = 'ada.lovelace@example.org';
const ORDER = '55512345';
const ERROR_CARD = '4242424242424242';
const TEXT = {
  free: 'Velvet curtains whisper',
  email: 'grace.hopper@example.net',
  phone: '+47 912 34 567',
  card: '4111 1111 1111 1111',
  address: 'Strandgaten 12',
};
const UNMASKED = 'unmaskedotter 4012';
/** Attribute values, custom tags and events: digit runs and e-mail addresses a page could leak past text masking. */
const ATTR = {
  title: 'Marmalade sunset',
  placeholder: 'placeholder.puffin@example.com',
  ariaDigits: '90817263',
  alt: '73920461',
  submit: 'Submitbutton label',
  mutated: '61829304',
};
const ALWAYS_HIDDEN_ATTR = ['radiowalrus', 'mailto.seal@example.com', 'tagfox@example.com'];
const DIGITS_IN = { data: '58203917', tag: '39481726', event: '82736451' };

const PAGE = `
  <p>${TEXT.free}</p><p>${TEXT.email}</p><p>${TEXT.phone}</p><p>${TEXT.card}</p><p>${TEXT.address}</p>
  <img src="/img/secret-photo.png" width="40" height="40" alt="">
  <form>
    <input id="typed" name="nickname">
    <input id="prefilled" name="city" value="prefilledgiraffe">
    <input type="hidden" name="token" value="hiddenkoala">
    <input id="password" type="password" name="password">
    <input id="card" name="cardnumber" autocomplete="cc-number">
  </form>
  <div data-loupe-mask><p>maskedpenguin</p></div>
  <div data-loupe-unmask><p>${UNMASKED}</p><input id="unmasked-input" value="unmasklynx"></div>
  <span title="${ATTR.title}">t</span>
  <input id="ph" placeholder="${ATTR.placeholder}">
  <button aria-label="Aisle ${ATTR.ariaDigits}" data-customer="c-${DIGITS_IN.data}">a</button>
  <img src="/img/shelf.png" width="4" height="4" alt="Shelf ${ATTR.alt}">
  <input type="radio" name="ship" value="radiowalrus">
  <input type="submit" value="${ATTR.submit}">
  <a href="mailto:mailto.seal@example.com">Write</a>
  <span id="mutating">m</span>
  <button id="fail">Pay</button>
  <script>document.getElementById('fail').addEventListener('click', () => setTimeout(() => { throw new Error('card ${ERROR_CARD} for ${URL_EMAIL}'); }));</script>`;

/** Absent in every mode. */
const ALWAYS_HIDDEN = [
  ...[URL_EMAIL, 'zebracrossing', 'prefilledgiraffe', 'hiddenkoala', 'hunter2Secret', '5555555555554444', 'unmasklynx', 'maskedpenguin'],
  ...ALWAYS_HIDDEN_ATTR,
];
const DIGITS = Object.values(DIGITS_IN);

const MODES = {
  strict: {
    hidden: [...ALWAYS_HIDDEN, ...Object.values(TEXT), 'Velvet', 'Strandgaten', 'secret-photo', ORDER, ERROR_CARD, ...Object.values(ATTR), ...DIGITS],
    shown: [UNMASKED, 'orderref'],
  },
  balanced: {
    hidden: [
      ...[...ALWAYS_HIDDEN, TEXT.email, TEXT.phone, TEXT.card, TEXT.address, ORDER, ERROR_CARD],
      ...[ATTR.placeholder, ATTR.ariaDigits, ATTR.alt, ATTR.mutated, ...DIGITS],
    ],
    shown: [UNMASKED, TEXT.free, 'Strandgaten', 'secret-photo', ATTR.title, ATTR.submit, 'Aisle', 'Shelf', 'orderref'],
  },
  relaxed: {
    hidden: ALWAYS_HIDDEN,
    shown: [UNMASKED, ...Object.values(TEXT), 'secret-photo', ORDER, ERROR_CARD, ...Object.values(ATTR), ...DIGITS],
  },
} as const;

describe('masking in a real browser: what each mode hides never leaves it', function () {
  this.timeout(180_000);
  let api: TestApi | undefined;
  let browser: Browser | null = null;
  let fixtures: Fixtures;

  useBrowserSuite((suite) => ({ api, browser, fixtures } = suite));

  for (const [mode, expected] of Object.entries(MODES)) {
    it(`${mode}: hides ${expected.hidden.length} corpus items, shows ${expected.shown.length}`, async () => {
      assert.ok(api && browser);
      const project = await trackerProject(api, fixtures, { masking: mode, recording: { enabled: true, sampleRate: 1 } });
      const v = await visit(api, fixtures, browser, project, PAGE, {
        title: `Order ${ORDER} for ${URL_EMAIL}`,
        query: `?contact=${URL_EMAIL}&order=${ORDER}`,
      });
      await eventually(async () => v.urls.some((u) => /\/t\/recorder\./.test(u)), 10_000, 'the recorder to load');
      await v.page.waitForTimeout(500);
      await v.page.fill('#typed', 'zebracrossing');
      await v.page.fill('#password', 'hunter2Secret');
      await v.page.fill('#card', '5555555555554444');
      await v.page.fill('#unmasked-input', 'unmasklynx2');
      await v.page.evaluate(
        ([digits, mutated]) => {
          const loupe = (window as unknown as { loupe: (...a: unknown[]) => void }).loupe;
          loupe('set', 'orderref', `Order ${digits.tag} for tagfox@example.com`);
          loupe('event', `signup_${digits.event}`);
          // A change after the full snapshot reaches the recording as a mutation event.
          document.getElementById('mutating')?.setAttribute('title', `Aisle ${mutated}`);
        },
        [DIGITS_IN, ATTR.mutated] as const,
      );
      await v.page.click('#fail');
      await v.page.waitForTimeout(6000); // one recorder flush interval
      await v.close();

      const everything = await eventually(async () => {
        const texts = [...(await inboxBodies(api!, project.id)), ...(await recordingTexts(api!, project.id))].join('\n');
        return texts.includes('unmaskedotter') && texts.includes('"t":"er"') ? texts : null;
      }, 20_000, 'events and a recording');
      // Every request to Loupe (the page's own URL is the shop's business, not a request to us).
      const toLoupe = v.urls.filter((u) => u.startsWith(api!.url));
      const haystack = `${everything}\n${toLoupe.join('\n')}`;
      // Every leak at once, each with its context, so a failure names all the gaps.
      const leaks = expected.hidden.flatMap((item) => {
        const at = haystack.indexOf(item);
        return at < 0 ? [] : [`"${item}" in …${haystack.slice(Math.max(0, at - 120), at + 60)}…`];
      });
      assert.deepEqual(leaks, [], `${mode}: these must not leave the browser`);
      for (const item of expected.shown) assert.ok(haystack.includes(item), `${mode}: "${item}" should be recorded`);
    });
  }

  // The recorder skips the ancestor walk on pages that mark nothing (maskOptions.ts); a region marked later, in the
  // document or in a shadow root, must still be masked.
  it('balanced: a page without marked regions masks the ones added after the snapshot, shadow roots included', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { masking: 'balanced', recording: { enabled: true, sampleRate: 1 } });
    const v = await visit(api, fixtures, browser, project, '<p>Plain page</p><div id="late"></div><div id="host"></div>');
    await eventually(async () => v.urls.some((u) => /\/t\/recorder\./.test(u)), 10_000, 'the recorder to load');
    await v.page.waitForTimeout(500);
    await v.page.evaluate(() => {
      document.getElementById('late')!.innerHTML = '<p>lateheron</p><div data-loupe-mask><p>latewalrus</p></div>';
      const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<p>shadowheron</p><section data-loupe-mask><p>shadowwalrus</p></section>';
    });
    await v.page.waitForTimeout(6000); // one recorder flush interval
    await v.close();
    const texts = await eventually(async () => {
      const t = (await recordingTexts(api!, project.id)).join('\n');
      return t.includes('lateheron') && t.includes('shadowheron') ? t : null;
    }, 20_000, 'the mutations in the recording');
    assert.ok(!texts.includes('latewalrus'), 'text of a region marked after the snapshot was recorded');
    assert.ok(!texts.includes('shadowwalrus'), 'text of a region marked inside a shadow root was recorded');
  });
});
