import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { hashIdentifyIdFallback } from './identifyFallback.ts';
import { normalizeIdentifyId } from '@loupe/contract';
import { hashIdentifyId } from '../../src/privacy/identifyHash.ts';
import { discoverProjectTables, orderChildrenFirst, TABLE_RULES, unclassifiedTables, type ProjectTable } from '../../src/privacy/tableRegistry.ts';
import { mode, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe(`privacy table registry (${mode})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('classifies every table with a project_id column (add new tables to TABLE_RULES in api/src/privacy/tableRegistry.ts)', async () => {
    const tables = await discoverProjectTables(api.runtime.deps.db.sql);
    assert.ok(tables.length >= 10, 'discovery found the tables');
    assert.deepEqual(unclassifiedTables(tables), [], 'tables with project_id the privacy registry does not classify');
  });

  it('the check fails for a new, unclassified table', async () => {
    const sql = api.runtime.deps.db.sql;
    const name = `privacy_probe_${randomBytes(4).toString('hex')}`;
    await sql.exec(`CREATE TABLE ${name} (project_id text NOT NULL, visitor_id text)`);
    try {
      const tables = await discoverProjectTables(sql);
      assert.deepEqual(unclassifiedTables(tables), [name]);
      assert.equal(tables.find((t) => t.name === name)?.visitorKey, 'visitor_id');
    } finally {
      await sql.exec(`DROP TABLE ${name}`);
    }
  });

  it('every time column named by a retention rule exists in its table', async () => {
    for (const t of await discoverProjectTables(api.runtime.deps.db.sql)) {
      const r = t.rule?.retention;
      if (r && r.kind !== 'never') assert.ok(t.columns.has(r.timeColumn), `${t.name}.${r.timeColumn} does not exist`);
      if (t.visitorKey === 'session_id' || t.visitorKey === 'visitor_id') assert.ok(t.columns.has(t.visitorKey), `${t.name}.${t.visitorKey}`);
    }
  });

  it('orders referencing tables before the tables they reference', () => {
    const t = (name: string): ProjectTable => ({ name, columns: new Set(['project_id']), rule: TABLE_RULES[name], visitorKey: 'none' });
    const order = orderChildrenFirst([t('a'), t('b'), t('c')], [{ child: 'c', parent: 'a' }, { child: 'b', parent: 'c' }]);
    assert.deepEqual(order.map((x) => x.name), ['b', 'c', 'a']);
  });
});

describe('identify hash (same spec as the tracker)', () => {
  it('is the lowercase hex SHA-256 of salt + "\\n" + the normalised id', () => {
    assert.equal(hashIdentifyId('s4lt', '  Anna@Example.COM '), createHash('sha256').update('s4lt\nanna@example.com').digest('hex'));
    // ids without '@' keep their case; both trim
    assert.equal(normalizeIdentifyId(' Cust-42 '), 'Cust-42');
    assert.equal(hashIdentifyId('x', 'Cust-42'), createHash('sha256').update('x\nCust-42').digest('hex'));
    assert.notEqual(hashIdentifyId('x', 'Cust-42'), hashIdentifyId('y', 'Cust-42'));
    // the browser's pure-JS fallback agrees with the server's node:crypto
    assert.equal(hashIdentifyIdFallback('s4lt', '  Anna@Example.COM '), hashIdentifyId('s4lt', '  Anna@Example.COM '));
  });
});
