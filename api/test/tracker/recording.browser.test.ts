/**
 * Session recording in a real Chromium: the recorder loads only for sampled sessions (or after
 * `loupe('upgrade')`) and only while the daily cap allows; its chunks are stored and read back in order through
 * the authorized route, and decode to the rrweb stream (Meta, then a full snapshot).
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { eventually, makeProject, type TestApi } from '../helpers/testRuntime.ts';
import { sleep, trackerProject, useBrowserSuite, visit, type Fixtures } from './browserHarness.ts';

const PAGE = `<main>${Array.from({ length: 200 }, (_, i) => `<p class="row">Row ${i} of the catalogue</p>`).join('')}<button id="more">More</button></main>
  <script>document.getElementById('more').onclick = () => { for (let i = 0; i < 300; i++) { const p = document.createElement('p'); p.textContent = 'added ' + i; document.body.appendChild(p); } };</script>`;
const loadedRecorder = (urls: string[]): boolean => urls.some((u) => /\/t\/recorder\.[\w-]+\.js$/.test(u));

describe('session recording in a real browser', function () {
  this.timeout(120_000);
  let api: TestApi | undefined;
  let browser: Browser | null = null;
  let fixtures: Fixtures;

  useBrowserSuite((suite) => ({ api, browser, fixtures } = suite));

  it('loads the recorder only for sampled sessions; loupe("upgrade") records an unsampled one', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: true, sampleRate: 0.000001 } });
    const v = await visit(api, fixtures, browser, project, PAGE);
    await sleep(2500); // past load + idle
    assert.ok(!loadedRecorder(v.urls), 'not sampled: no recorder');
    assert.ok(!v.urls.some((u) => u.endsWith('/record/start')), 'not even the question');
    await v.page.evaluate(() => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('upgrade'));
    await eventually(async () => loadedRecorder(v.urls), 10_000, 'the recorder after upgrade');
    await v.close();

    const off = await trackerProject(api, fixtures, { recording: { enabled: false } });
    const w = await visit(api, fixtures, browser, off, PAGE);
    await w.page.evaluate(() => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('upgrade'));
    await sleep(2500);
    assert.ok(!loadedRecorder(w.urls), 'recording off: upgrade changes nothing');
    await w.close();
  });

  it('stops loading the recorder once the daily cap of recorded sessions is reached', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: true, sampleRate: 1, dailyCap: 1 } });
    const first = await visit(api, fixtures, browser, project, PAGE);
    await eventually(async () => loadedRecorder(first.urls), 10_000, 'the first session recorded');
    // The page stays open until its first chunk is stored (the recorder flushes every 5 s): on a loaded machine a
    // page closed right after the recorder loads may not have taken its snapshot yet, and this test is about the cap.
    await eventually(
      async () => (await api!.runtime.deps.db.sql.query('SELECT 1 FROM recording_chunks WHERE project_id = $1', [project.id])).length > 0,
      30_000,
      'a stored chunk',
    );
    await first.close();
    const second = await visit(api, fixtures, browser, project, PAGE);
    await eventually(async () => second.urls.some((u) => u.endsWith('/record/start')), 10_000, 'the question');
    await sleep(1000);
    assert.ok(!loadedRecorder(second.urls), 'cap reached: no recorder for a new session');
    await second.close();
  });

  /** Stored chunks of the project, decoded, once at least one gzip chunk is there. */
  const gzipChunks = (projectId: string) =>
    eventually(async () => {
      const rows = await api!.runtime.deps.db.sql.query<{ encoding: string; payload: Uint8Array }>(
        'SELECT encoding, payload FROM recording_chunks WHERE project_id = $1 ORDER BY seq',
        [projectId],
      );
      const gz = rows.filter((r) => r.encoding === 'gzip');
      return gz.length ? gz.map((r) => gunzipSync(Buffer.from(r.payload)).toString('utf8')) : null;
    }, 30_000, 'a gzip chunk stored');

  it('compresses chunks in a worker, and in the page when its CSP refuses blob workers', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: true, sampleRate: 1 } });
    const v = await visit(api, fixtures, browser, project, PAGE);
    await eventually(async () => loadedRecorder(v.urls), 10_000, 'the recorder');
    const [first] = await gzipChunks(project.id);
    assert.ok(first?.startsWith('{"type":4'), 'a gzip chunk that decodes to the recording');
    assert.equal(v.page.workers().length, 1, 'one worker: the compressor');
    await v.close();

    const refused = await trackerProject(api, fixtures, { recording: { enabled: true, sampleRate: 1 } });
    const w = await visit(api, fixtures, browser, refused, PAGE, {
      head: `<meta http-equiv="Content-Security-Policy" content="worker-src 'none'">`,
    });
    await eventually(async () => loadedRecorder(w.urls), 10_000, 'the recorder');
    const [text] = await gzipChunks(refused.id);
    assert.ok(text?.startsWith('{"type":4'), 'still compressed (in the page) when the worker is refused');
    assert.equal(w.page.workers().length, 0, 'no worker ran');
    assert.deepEqual(w.pageErrors, []);
    await w.close();
  });

  it('stores chunks in order and reads them back through the authorized route', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: true, sampleRate: 1 } });
    const v = await visit(api, fixtures, browser, project, PAGE);
    await eventually(async () => loadedRecorder(v.urls), 10_000, 'the recorder');
    await sleep(1000);
    for (let i = 0; i < 3; i++) {
      await v.page.click('#more');
      await v.page.mouse.move(100 + i * 50, 200);
      await sleep(300);
    }
    await sleep(5500); // a flush interval: compressed chunks by fetch
    await v.page.click('#more');
    const sessionId = await v.page.evaluate(() => sessionStorage.getItem('loupe_sid')?.split('.')[0] ?? '');
    await v.close(); // what is left goes uncompressed with keepalive

    const url = `${api.url}/api/projects/${project.id}/sessions/${sessionId}/recording`;
    const body = await eventually(async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${project.token}` } });
      assert.equal(res.status, 200);
      const json = (await res.json()) as { chunks: { seq: number; encoding: string; data: string; bytes: number }[] };
      return json.chunks.length >= 2 && json.chunks.some((c) => c.encoding === 'identity') ? json : null;
    }, 20_000, 'at least two chunks, one sent at page hide');
    assert.deepEqual(body.chunks.map((c) => c.seq), body.chunks.map((_, i) => i), 'consecutive seqs from 0, in order');
    assert.ok(body.chunks.some((c) => c.encoding === 'gzip'), 'compressed in the browser');
    assert.ok(body.chunks.every((c) => c.bytes <= 64 * 1024), 'each chunk fits a keepalive budget');
    const text = body.chunks
      .map((c) => {
        const raw = Buffer.from(c.data, 'base64');
        return (c.encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      })
      .join('');
    const events = text.trim().split('\n').map((line) => JSON.parse(line) as { type: number; timestamp: number });
    assert.equal(events[0]?.type, 4, 'Meta first');
    assert.equal(events[1]?.type, 2, 'then the full snapshot');
    assert.ok(events.every((e, i) => i === 0 || e.timestamp >= (events[i - 1]?.timestamp ?? 0) - 5), 'time order');
    assert.ok(text.includes('"added ***"'), 'mutations recorded (balanced mode masks the numbers)');

    const other = await makeProject(api);
    const foreign = await fetch(`${api.url}/api/projects/${project.id}/sessions/${sessionId}/recording`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.ok([401, 403, 404].includes(foreign.status), `another tenant's token: ${foreign.status}`);
    const own = await fetch(`${api.url}/api/projects/${other.id}/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${other.token}` } });
    assert.deepEqual(((await own.json()) as { chunks: unknown[] }).chunks, [], 'nothing under another project');
  });
});
