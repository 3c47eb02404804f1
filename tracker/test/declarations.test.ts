/** Compile-time check of loupe.d.ts: these calls must type-check (and the @ts-expect-error ones must not). */
import type { LoupeCommand } from '../loupe.d.ts';

describe('typed declarations', () => {
  it('accept the documented calls and reject unknown ones', () => {
    const calls: Parameters<LoupeCommand>[] = [];
    const loupe = ((...args: Parameters<LoupeCommand>) => void calls.push(args)) as unknown as LoupeCommand;
    loupe('set', 'plan', 'gold');
    loupe('set', 'colors', ['red', 'blue']);
    loupe('event', 'signup');
    loupe('identify', 'ada@example.com');
    loupe('consent', true);
    loupe('checkout', 'payment', { token: 't', value: 19.9, currency: 'EUR' });
    loupe('upgrade');
    // @ts-expect-error unknown checkout step
    loupe('checkout', 'paid');
    // @ts-expect-error consent takes a boolean
    loupe('consent', 'yes');
    if (calls.length !== 9) throw new Error(`expected 9 calls, got ${calls.length}`);
  });
});
