import assert from 'node:assert/strict';
import { BUDGETS, buildCoreBundle, buildRecorderBundle, CONFIG_PLACEHOLDER, gzipSize } from '../build.ts';

describe('tracker bundles', () => {
  let core: string;
  let recorder: string;
  before(async function () {
    this.timeout(60_000);
    [core, recorder] = await Promise.all([buildCoreBundle(), buildRecorderBundle()]);
  });

  it('the core contains no zod, no rrweb and no pure-JS SHA-256 (each loads only when needed)', () => {
    for (const marker of ['ZodError', '$ZodType', 'safeParse', 'rrweb', 'MutationBuffer', 'Math.pow']) {
      assert.ok(!core.includes(marker), `core contains ${marker}`);
    }
  });

  it('the core builds wire-form events (short codes) and has exactly one config placeholder', () => {
    assert.ok(core.includes('"pv"') && core.includes('"co"'), 'wire codes missing');
    assert.equal(core.split(CONFIG_PLACEHOLDER).length, 2);
  });

  it(`the eager core is at most ${BUDGETS.core} bytes gzipped, core + recorder at most ${BUDGETS.coreAndRecorder}`, () => {
    const c = gzipSize(core);
    const r = gzipSize(recorder);
    console.log(`      core: ${core.length} B minified, ${c} B gzip; recorder: ${recorder.length} B, ${r} B gzip; sum ${c + r} B gzip`);
    assert.ok(c <= BUDGETS.core, `eager core ${c} B gzip > ${BUDGETS.core}`);
    assert.ok(c + r <= BUDGETS.coreAndRecorder, `core + recorder ${c + r} B gzip > ${BUDGETS.coreAndRecorder}`);
  });

  it("the recorder carries no rrweb canvas recording (recordCanvas is off; build.ts stubs it)", () => {
    // Markers of the canvas code only: the recorder's own compression worker uses createObjectURL too.
    for (const marker of ['OffscreenCanvas', 'WebGL2RenderingContext', 'createImageBitmap', 'image-bitmap-data-url-worker', 'rr_type']) {
      assert.ok(!recorder.includes(marker), `recorder contains ${marker}`);
    }
    assert.ok(recorder.includes('recordCanvas:!1'), 'the recorder must keep recordCanvas off while the canvas code is stubbed');
  });

  it('is one classic IIFE script: no top-level ESM syntax', () => {
    for (const js of [core, recorder]) assert.match(js, /^"use strict";\(\(\)=>\{/);
    assert.ok(!/\bimport\s*[{(*"']|\bexport\s*[{*]/.test(core));
  });
});
