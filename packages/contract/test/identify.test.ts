import assert from 'node:assert/strict';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { hashIdentifyId, normalizeIdentifyId, sha256HexFallback } from '../src/identify.ts';

const nodeSha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('identify hashing', () => {
  it('normalises: trims, lower-cases e-mail addresses only', () => {
    assert.equal(normalizeIdentifyId('  Ada@Example.COM \n'), 'ada@example.com');
    assert.equal(normalizeIdentifyId(' Cust-42A '), 'Cust-42A');
  });

  it('the pure-JS SHA-256 equals node:crypto across lengths, block edges and non-ASCII text', () => {
    const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), 'Åse Øvrebø 🦊 東京'];
    for (let i = 0; i < 50; i++) inputs.push(randomBytes(i * 7).toString('latin1'));
    for (const s of inputs) assert.equal(sha256HexFallback(s), nodeSha(s), JSON.stringify(s));
  });

  it('hashes salt + "\\n" + normalised id, the same with WebCrypto and without', async () => {
    const expected = nodeSha('s4lt\nada@example.com');
    assert.equal(await hashIdentifyId('s4lt', ' ADA@example.com', webcrypto.subtle), expected);
    assert.equal(await hashIdentifyId('s4lt', ' ADA@example.com', null), expected);
  });
});
