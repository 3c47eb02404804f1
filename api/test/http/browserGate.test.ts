import assert from 'node:assert/strict';
import { browserSkipReason } from '../helpers/browserGate.ts';

describe('browser suites gate', () => {
  const missing = '/nonexistent/chromium';

  it('skips on purpose with LOUPE_SKIP_BROWSER=1, saying so', () => {
    assert.match(browserSkipReason({ LOUPE_SKIP_BROWSER: '1', CI: 'true' }, missing) ?? '', /LOUPE_SKIP_BROWSER=1/);
  });

  it('fails under CI when Chromium is missing', () => {
    assert.throws(() => browserSkipReason({ CI: 'true' }, missing), /browser suites must run under CI: no Chromium at \/nonexistent/);
  });

  it('skips with an install hint outside CI when Chromium is missing', () => {
    assert.match(browserSkipReason({}, missing) ?? '', /apt-get install -y chromium/);
    assert.match(browserSkipReason({ CI: 'false' }, missing) ?? '', /no Chromium/);
  });

  it('runs when Chromium is there', () => {
    assert.equal(browserSkipReason({ CI: 'true' }, process.execPath), null);
  });
});
