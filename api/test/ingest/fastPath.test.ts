import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { toWire } from '@loupe/contract';
import { makeBatch } from '@loupe/contract/testing';
import express from 'express';
import { createApp } from '../../src/app.ts';
import { clientAddress } from '../../src/ingest/collectFastPath.ts';
import { makeProject, mode, ORIGIN, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The /collect fast path answers exactly as the registry's Express route does. */
describe(`/collect fast path = Express route (${mode})`, function () {
  this.timeout(30_000);
  let api: TestApi;
  let expressOnly: Awaited<ReturnType<typeof serve>>;
  let project: Awaited<ReturnType<typeof makeProject>>;

  before(async () => {
    api = await startTestApi();
    project = await makeProject(api);
    expressOnly = await serve(createApp(api.runtime.deps));
  });
  after(async () => {
    await expressOnly?.close();
    await api?.close();
  });

  /** `corsDiffers`: Express validates the query before the route's handler can add CORS headers; the fast path adds
   * them to every answer, so the tracker can read that refusal too. */
  type Req = { name: string; path?: string; body: () => string | Buffer; headers?: Record<string, string>; corsDiffers?: boolean };
  const wire = (mutate: (w: Record<string, unknown>) => void = () => undefined) => () => {
    const w = toWire(makeBatch({ projectKey: project.ingestKey })) as unknown as Record<string, unknown>;
    mutate(w);
    return JSON.stringify(w);
  };
  const cases: Req[] = [
    { name: 'accepted', body: wire() },
    { name: 'accepted, gzip by ?enc=', path: '/collect?enc=gzip', body: () => gzipSync(wire()()) },
    { name: 'not JSON', body: () => '{"v":1,' },
    { name: 'schema-invalid', body: wire((w) => ((w.e as Record<string, unknown>[])[0]!.u = 42)) },
    { name: 'unknown key', body: wire((w) => (w.k = 'pk_nobody_has_this_key')) },
    { name: 'foreign origin', body: wire(), headers: { origin: 'https://evil.example' } },
    { name: 'no origin', body: wire(), headers: { origin: '' } },
    { name: 'unsupported type', body: wire(), headers: { 'content-type': 'application/xml' } },
    { name: 'unsupported encoding', body: wire(), headers: { 'content-encoding': 'br' } },
    { name: 'bad ?enc=', path: '/collect?enc=zip', body: wire() },
    { name: 'repeated ?enc=', path: '/collect?enc=gzip&enc=deflate', body: wire(), corsDiffers: true },
    { name: 'too large', body: () => 'x'.repeat(300_000) },
    { name: 'bot', body: wire(), headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' } },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const answers = [];
      for (const base of [api.url, expressOnly.url]) {
        const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, ...c.headers };
        if (headers.origin === '') delete headers.origin;
        const body = c.body();
        const res = await fetch(base + (c.path ?? '/collect'), { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
        answers.push({
          status: res.status,
          body: await res.json(),
          cors: res.headers.get('access-control-allow-origin'),
          type: res.headers.get('content-type'),
        });
      }
      if (c.corsDiffers) {
        assert.equal(answers[0]!.cors, ORIGIN);
        answers[0]!.cors = answers[1]!.cors;
      }
      assert.deepEqual(answers[0], answers[1]);
    });
  }

  it('finds the client address behind trusted proxies as Express does', async () => {
    for (const hops of [0, 1, 2, 5]) {
      const viaExpress = express().set('trust proxy', hops).get('/', (req, res) => void res.send(req.ip ?? ''));
      const a = await serve(viaExpress);
      const b = await serve((req, res) => res.end(clientAddress(req, hops) ?? ''));
      try {
        for (const xff of [undefined, '203.0.113.7', '198.51.100.1, 203.0.113.7', ' 192.0.2.1 ,198.51.100.1,203.0.113.7']) {
          const headers: Record<string, string> = xff === undefined ? {} : { 'x-forwarded-for': xff };
          const [x, y] = await Promise.all([a, b].map(async (s) => (await fetch(s.url, { headers })).text()));
          assert.equal(y, x, `hops ${hops}, X-Forwarded-For ${xff}`);
        }
      } finally {
        await a.close();
        await b.close();
      }
    }
  });
});
