/**
 * Attribute masking of the full snapshot, which the recorder finishes after rrweb's snapshot task, before the events
 * are serialized (maskAttributes.ts), when the page marks no region; with a marked region, in the document or in a
 * shadow root, it masks inside the task as before. Elements are removed right after the snapshot (before the
 * deferred rewrite runs, and before rrweb's mirror forgets them): every attribute value the mode hides must still be
 * absent from every stored chunk, and the removed elements must be in the snapshot (else the test proves nothing).
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, type TestApi } from '../helpers/testRuntime.ts';
import { recordingTexts, trackerProject, useBrowserSuite, visit, type Fixtures } from './browserHarness.ts';

/** Balanced mode hides each of these: digit words and e-mail addresses in page text, form values, URLs, data-*. */
const attributes = (tag: string): string => `
  <span id="${tag}-title" title="Aisle ${tag === 'gone' ? '48213907' : '48213908'}">t</span>
  <img src="/img/shelf.png" width="4" height="4" alt="Shelf ${tag === 'gone' ? '30718264' : '30718265'}">
  <input id="${tag}-ph" placeholder="${tag}.owl@example.com">
  <input type="radio" name="${tag}-ship" value="${tag}radiobadger">
  <input type="hidden" name="${tag}-token" value="${tag}hiddenmarmot">
  <input type="SUBMIT" value="Send ${tag === 'gone' ? '66120945' : '66120946'}">
  <button data-customer="c-${tag === 'gone' ? '71530284' : '71530285'}">b</button>
  <a href="mailto:${tag}.crane@example.com">Write</a>`;
const HIDDEN = ['48213907', '48213908', '30718264', '30718265', 'owl@example.com', 'radiobadger', 'hiddenmarmot', '66120945', '66120946', '71530284', '71530285', 'crane@example.com'];

/** Removes #gone in the task after the recorder's snapshot task (boot runs in a timer queued while it evaluates). */
const REMOVE_AFTER_SNAPSHOT = `new MutationObserver((records, observer) => {
  for (const r of records) for (const n of r.addedNodes) if (n.tagName === 'SCRIPT' && /\\/t\\/recorder\\./.test(n.src)) {
    observer.disconnect();
    n.addEventListener('load', () => setTimeout(() => document.getElementById('gone').remove()));
  }
}).observe(document.documentElement, { childList: true, subtree: true });`;

const shadow = (id: string, html: string): string =>
  `<div id="${id}"></div><script>document.getElementById('${id}').attachShadow({ mode: 'open' }).innerHTML = ${JSON.stringify(html)};</script>`;

describe('full-snapshot attribute masking finished outside the snapshot task', function () {
  this.timeout(180_000);
  let api: TestApi | undefined;
  let browser: Browser | null = null;
  let fixtures: Fixtures;

  useBrowserSuite((suite) => ({ api, browser, fixtures } = suite));

  /** Records `body` in balanced mode with #gone removed after the snapshot; answers every stored chunk's text. */
  async function record(body: string): Promise<string> {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { masking: 'balanced', recording: { enabled: true, sampleRate: 1 } });
    const v = await visit(api, fixtures, browser, project, body, { pageScript: REMOVE_AFTER_SNAPSHOT });
    await eventually(async () => v.urls.some((u) => /\/t\/recorder\./.test(u)), 10_000, 'the recorder to load');
    await eventually(async () => v.page.evaluate(() => !document.getElementById('gone')), 10_000, '#gone to be removed');
    await v.page.waitForTimeout(6000); // one recorder flush interval
    await v.close();
    const texts = await eventually(async () => {
      const t = (await recordingTexts(api!, project.id)).join('\n');
      return t.includes('"id":"kept-title"') ? t : null;
    }, 20_000, 'the snapshot in the recording');
    assert.ok(texts.includes('"id":"gone-title"'), 'the removed elements were not in the snapshot: the test proves nothing');
    assert.ok(/"type":3,"data":\{"source":0[^\n]*"removes":\[\{/.test(texts), 'no mutation removed #gone after the snapshot');
    return texts;
  }

  const leaks = (texts: string, hidden: string[]): string[] =>
    hidden.flatMap((item) => {
      const at = texts.indexOf(item);
      return at < 0 ? [] : [`"${item}" in …${texts.slice(Math.max(0, at - 120), at + 60)}…`];
    });

  it('a page that marks no region: attribute values are masked, elements removed after the snapshot included', async () => {
    const texts = await record(
      `<main>${attributes('kept')}</main><div id="gone">${attributes('gone')}${shadow('gone-host', '<i title="Aisle 59201837">s</i>')}</div>`,
    );
    assert.deepEqual(leaks(texts, [...HIDDEN, '59201837']), [], 'these must not leave the browser');
    for (const shown of ['Aisle', 'Shelf', 'Send', 'c-*']) assert.ok(texts.includes(shown), `"${shown}" should be recorded`);
  });

  it('a region marked in the document or in a shadow root: masked inside the snapshot task, removed elements included', async () => {
    for (const marked of [
      `<div data-loupe-mask><span title="Quietmarked heron">m</span></div>`,
      shadow('marked-host', '<section data-loupe-mask><span title="Quietmarked heron">m</span></section>'),
    ]) {
      const texts = await record(`<main>${attributes('kept')}</main><div id="gone">${attributes('gone')}${marked}</div>`);
      assert.deepEqual(leaks(texts, [...HIDDEN, 'Quietmarked', 'heron']), [], `these must not leave the browser (${marked.slice(0, 40)}…)`);
      assert.ok(texts.includes('Aisle'), 'page text outside the region should be recorded');
    }
  });
});
