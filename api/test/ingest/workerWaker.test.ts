import assert from 'node:assert/strict';
import { WorkerWaker } from '../../src/ingest/workerWaker.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker waker', () => {
  it('wakes at once, then at most once per window, always after the last commit', async () => {
    const wakes: number[] = [];
    const waker = new WorkerWaker(() => wakes.push(Date.now()), 50);
    const t0 = Date.now();
    waker.committed();
    assert.equal(wakes.length, 1, 'the first commit wakes immediately');
    for (let i = 0; i < 5; i++) {
      await sleep(5);
      waker.committed();
    }
    const lastCommit = Date.now();
    assert.equal(wakes.length, 1, 'commits inside the window share one trailing wake-up');
    await sleep(80);
    assert.equal(wakes.length, 2);
    assert.ok(wakes[1]! >= lastCommit, 'the trailing wake-up follows the last commit');
    assert.ok(wakes[1]! - t0 >= 45);
  });

  it('flush sends a scheduled wake-up at once and nothing when none is due', async () => {
    const wakes: number[] = [];
    const waker = new WorkerWaker(() => wakes.push(1), 1000);
    waker.committed();
    waker.committed();
    waker.flush();
    assert.equal(wakes.length, 2);
    waker.flush();
    assert.equal(wakes.length, 2);
  });
});
