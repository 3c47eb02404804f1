import assert from 'node:assert/strict';
import { startTestApi } from '../helpers/testRuntime.ts';

describe('health and readiness', () => {
  it('/healthz and /readyz answer, and /readyz turns 503 once shutdown begins', async () => {
    const api = await startTestApi({}, { workers: false });
    try {
      assert.deepEqual(await (await fetch(`${api.url}/healthz`)).json(), { status: 'ok' });
      const ready = await fetch(`${api.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'ok', queue: 'ok', accepting: true });
      api.runtime.deps.accepting = false;
      const draining = await fetch(`${api.url}/readyz`);
      assert.equal(draining.status, 503);
      assert.equal((await draining.json()).status, 'not_ready');
    } finally {
      await api.close();
    }
  });
});
