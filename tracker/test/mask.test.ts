import assert from 'node:assert/strict';
import { maskSensitiveWords } from '../src/mask.ts';

describe('mask: balanced page text', () => {
  it('stars e-mail addresses, phone numbers and words with digits', () => {
    assert.equal(maskSensitiveWords('Write to ann@example.com'), 'Write to ***************');
    assert.equal(maskSensitiveWords('Call +44 (20) 7946 0958 now'), 'Call *** **** **** **** now');
    assert.equal(maskSensitiveWords('Order A1234 of 3 mugs'), 'Order ***** of * mugs');
  });

  it('answers text with neither a digit nor an @ unchanged (the fast path), whitespace included', () => {
    for (const text of ['Stonewashed linen, woven in Kaunas.', '\n  ', '', 'ünïcödé — “quotes”']) assert.equal(maskSensitiveWords(text), text);
  });
});
