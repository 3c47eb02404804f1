import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildDemoBundle } from '../build.ts';

/** Budget for the demo bundle, gzipped; the real tracker's eager core must stay in the same range. */
const MAX_GZIP_BYTES = 6 * 1024;

describe('demo bundle', () => {
  let js: string;
  before(async function () {
    this.timeout(60_000);
    js = await buildDemoBundle();
  });

  it('contains no zod (the browser imports only @loupe/contract/browser)', () => {
    for (const marker of ['ZodError', '$ZodType', 'zod', 'safeParse']) assert.ok(!js.includes(marker), `bundle contains ${marker}`);
  });

  it('contains the wire encoder', () => {
    assert.ok(js.includes('"pv"') && js.includes('"co"'), 'wire codes missing');
  });

  it(`is under ${MAX_GZIP_BYTES} bytes gzipped`, () => {
    const gz = gzipSync(js, { level: 9 }).length;
    console.log(`      demo bundle: ${js.length} bytes minified, ${gz} bytes gzipped`);
    assert.ok(gz < MAX_GZIP_BYTES, `${gz} bytes gzipped`);
  });

  it('is one IIFE for old browsers: no top-level ESM syntax, no optional chaining', () => {
    assert.match(js, /^"use strict";\(\(\)=>\{/);
    assert.ok(!/\bimport\s*[{(*"']|\bexport\s*[{*]/.test(js));
    assert.ok(!js.includes('?.'), 'ES2019 target should lower optional chaining');
  });
});
