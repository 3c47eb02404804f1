import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { LIMITS, toWire } from '@loupe/contract';
import { makeBatch, makeMixedEvents, newClientId } from '@loupe/contract/testing';
import { countRows, makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

/** Every refusal answers JSON naming the problem and stores nothing. */
describe(`/collect refusals (${mode})`, () => {
  let api: TestApi;
  let project: Awaited<ReturnType<typeof makeProject>>;
  before(async () => {
    api = await startTestApi();
    project = await makeProject(api);
  });
  after(async () => api?.close());

  const batch = () => makeBatch({ projectKey: project.ingestKey });

  async function expectRefused(res: Response, status: number, error: string, messageIncludes?: string) {
    const body = await res.json();
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(body.error, error);
    assert.equal(typeof body.message, 'string');
    if (messageIncludes) assert.ok(body.message.includes(messageIncludes), body.message);
    return body;
  }

  it('400 for a body that is not JSON', async () => {
    await expectRefused(await postBatch(api, '{"v":1,'), 400, 'malformed_json', 'not valid JSON');
  });

  it('400 naming the field for a schema-invalid batch', async () => {
    const wire = toWire(batch());
    (wire.e as Record<string, unknown>[])[0]!.u = 42;
    const body = await expectRefused(await postBatch(api, JSON.stringify(wire)), 400, 'invalid_batch', 'events[0].url');
    assert.equal(body.field, 'events[0].url');
  });

  it('400 naming the envelope field that is missing', async () => {
    const wire = toWire(batch());
    delete wire.si;
    const body = await expectRefused(await postBatch(api, JSON.stringify(wire)), 400, 'invalid_batch');
    assert.equal(body.field, 'sessionId');
  });

  it('413 for a body over the documented limit', async () => {
    const huge = 'x'.repeat(LIMITS.maxBodyBytes + 1);
    await expectRefused(await postBatch(api, huge), 413, 'payload_too_large', String(LIMITS.maxBodyBytes));
  });

  it('413 for a compressed body that inflates past the limit (zip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMITS.maxInflatedBytes + 1024, 32));
    await expectRefused(await postBatch(api, bomb, { headers: { 'content-encoding': 'gzip' } }), 413, 'payload_too_large', 'decompressed');
  });

  it('400 for a body that claims gzip but is not', async () => {
    await expectRefused(await postBatch(api, '{"v":1}', { headers: { 'content-encoding': 'gzip' } }), 400, 'bad_encoding');
  });

  it('415 for an unsupported content type or encoding', async () => {
    await expectRefused(await postBatch(api, batch(), { contentType: 'application/xml' }), 415, 'unsupported_media_type');
    await expectRefused(await postBatch(api, batch(), { headers: { 'content-encoding': 'br' } }), 415, 'unsupported_encoding');
  });

  it('404 for an unknown project key', async () => {
    const b = makeBatch({ projectKey: 'pk_doesnotexist000' });
    await expectRefused(await postBatch(api, b), 404, 'unknown_project', 'pk_doesnotexist000');
  });

  it('403 for a disabled project', async () => {
    const p = await makeProject(api);
    await api.runtime.deps.db.prisma.project.update({ where: { id: p.id }, data: { disabledAt: new Date() } });
    await expectRefused(await postBatch(api, makeBatch({ projectKey: p.ingestKey })), 403, 'project_disabled');
    assert.equal(await countRows(api, 'inbox_batches', p.id), 0);
  });

  it('403 for a foreign origin, also as a CORS-free text/plain beacon, and nothing is stored', async () => {
    const p = await makeProject(api);
    const b = makeBatch({ projectKey: p.ingestKey });
    await expectRefused(await postBatch(api, b, { origin: 'https://evil.example' }), 403, 'origin_not_allowed', 'https://evil.example');
    await expectRefused(await postBatch(api, b, { origin: 'https://shop.example.com.evil.example' }), 403, 'origin_not_allowed');
    await expectRefused(await postBatch(api, b, { origin: null }), 403, 'origin_not_allowed', 'Origin header is required');
    assert.equal(await countRows(api, 'inbox_batches', p.id), 0);
  });

  it('429 with Retry-After past the per-project rate, then accepts again later', async () => {
    const limited = await startTestApi({ LOUPE_RATE_PER_PROJECT: '2' });
    try {
      const p = await makeProject(limited);
      let retryAfter: string | null = null;
      // Sent together, so the bucket cannot refill between them however slow the machine is (each 200 waits for a commit).
      const statuses = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const res = await postBatch(limited, makeBatch({ projectKey: p.ingestKey }));
          if (res.status === 429) {
            retryAfter = res.headers.get('retry-after');
            assert.equal((await res.json()).error, 'rate_limited');
          } else await res.arrayBuffer();
          return res.status;
        }),
      );
      // burst of 2 s at 2/s = 4 accepted, the rest refused
      assert.deepEqual(statuses.sort(), [200, 200, 200, 200, 429, 429, 429, 429]);
      assert.ok(Number(retryAfter) >= 1);
      await waitProcessed(limited, p.id);
      assert.equal(await countRows(limited, 'inbox_batches', p.id), 4);
    } finally {
      await limited.close();
    }
  });

  it('429 with Retry-After past the per-IP rate', async () => {
    const limited = await startTestApi({ LOUPE_RATE_PER_IP: '1' });
    try {
      const p = await makeProject(limited);
      const statuses = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const res = await postBatch(limited, makeBatch({ projectKey: p.ingestKey }));
          await res.arrayBuffer();
          return res.status;
        }),
      );
      assert.deepEqual(statuses.sort(), [200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('acknowledges known bots without storing them', async () => {
    const p = await makeProject(api);
    const res = await postBatch(api, makeBatch({ projectKey: p.ingestKey, ua: 'Googlebot/2.1' }), {
      userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { stored: false, reason: 'bot' });
    assert.equal(await countRows(api, 'inbox_batches', p.id), 0);
  });

  it("acknowledges the project's internal IP ranges without storing them", async () => {
    const p = await makeProject(api, { internalIpRanges: ['127.0.0.0/8'] });
    const res = await postBatch(api, makeBatch({ projectKey: p.ingestKey }));
    assert.deepEqual(await res.json(), { stored: false, reason: 'internal_ip' });
    assert.equal(await countRows(api, 'inbox_batches', p.id), 0);
  });

  it('accepts gzip by Content-Encoding, by ?enc= (beacons) and by magic bytes, and JSON content type', async () => {
    const p = await makeProject(api);
    const ok = async (res: Response) => assert.deepEqual([res.status, await res.json()], [200, { stored: true }]);
    await ok(await postBatch(api, makeBatch({ projectKey: p.ingestKey }), { gzip: true }));
    await ok(await postBatch(api, makeBatch({ projectKey: p.ingestKey }), { gzip: true, encParam: 'gzip' }));
    const raw = gzipSync(JSON.stringify(toWire(makeBatch({ projectKey: p.ingestKey }))));
    await ok(await postBatch(api, raw, { contentType: 'application/octet-stream' }));
    await ok(await postBatch(api, makeBatch({ projectKey: p.ingestKey }), { contentType: 'application/json' }));
    await waitProcessed(api, p.id);
    assert.equal(await countRows(api, 'sessions', p.id), 4);
  });

  it('refusals in the middle of a stream lose nothing already accepted', async () => {
    const p = await makeProject(api);
    const pv = newClientId();
    const good = [0, 1, 2].map((seq) => makeBatch({ projectKey: p.ingestKey, pageViewId: pv, seq, events: makeMixedEvents(20, Date.now(), pv, seq) }));
    assert.equal((await postBatch(api, good[0]!)).status, 200);
    assert.equal((await postBatch(api, '{oops')).status, 400);
    assert.equal((await postBatch(api, good[1]!, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await postBatch(api, good[2]!)).status, 200);
    await waitProcessed(api, p.id);
    assert.equal(await countRows(api, 'inbox_batches', p.id), 2);
    const expected = [good[0]!, good[2]!].flatMap((b) => b.events).filter((e) => e.type === 'click').length;
    assert.equal(await countRows(api, 'clicks', p.id), expected);
  });
});
