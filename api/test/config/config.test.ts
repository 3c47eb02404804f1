import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runEntry } from '../helpers/child.ts';

describe('configuration', () => {
  it('fills defaults for an empty environment (the embedded default)', () => {
    const c = loadConfig({});
    assert.equal(c.DATABASE_URL, undefined);
    assert.equal(c.REDIS_URL, undefined);
    assert.equal(c.PORT, 4400);
    assert.match(c.LOUPE_DATA_DIR, /data[/\\]pglite$/);
  });

  it('names every wrong variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
      (err: Error) => err instanceof ConfigError && /PORT/.test(err.message) && /DATABASE_URL/.test(err.message) && /LOG_LEVEL/.test(err.message),
    );
  });

  it('rejects REDIS_URL without DATABASE_URL (PGlite cannot be shared between processes)', () => {
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }), /REDIS_URL is set but DATABASE_URL is not/);
  });

  it('the api exits non-zero naming the bad value', async () => {
    const { code, output } = await runEntry('src/main.ts', { PORT: 'eighty', DATABASE_URL: '', REDIS_URL: '' });
    assert.equal(code, 1);
    assert.match(output, /invalid configuration:\n\s+PORT:/);
  });
});
