// The import's create_missing parameter and its edited list (issue 8) as an input: malformed, oversized or
// forbidden values are 4xx naming the field and write nothing; only those who keep the county's org chart may
// create units and people by importing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XLSX_TYPE, show, signedIn, startServer } from '../api/harness.mjs';
import { buildXlsx } from '../api/xlsx.mjs';

let server;
let hq;
let unit;

before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  unit = await signedIn(server.url, 'unit');
});
after(async () => {
  await server?.stop();
});

const sheet = buildXlsx({
  name: '项目库',
  rows: [['项目名称', '项目类别', '责任单位', '项目长'], ['安全测试新单位项目', '产业项目', '县安全测试局', '安全测试人']],
});
const post = (client, query) => client.post(`/projects/import?${query}`, sheet, { contentType: XLSX_TYPE });
const withDecisions = (d) => `create_missing=1&decisions=${encodeURIComponent(typeof d === 'string' ? d : JSON.stringify(d))}`;

async function unitCount() {
  const r = await hq.get('/org-units');
  assert.equal(r.status, 200, show(r));
  return r.body.items.length;
}

function assertField(r, field, reason) {
  assert.equal(r.status, 422, show(r));
  const f = r.body.error.fields ?? [];
  assert.ok(f.some((x) => x.field === field && x.reason === reason), `${field}: ${reason} in ${show(r)}`);
}

test('a malformed or oversized edited list is refused with the field named, and nothing is created', async () => {
  const before = await unitCount();
  assertField(await post(hq, withDecisions('{not json')), 'decisions', 'invalid_json');
  assertField(await post(hq, withDecisions([1, 2])), 'decisions', 'invalid');
  assertField(await post(hq, withDecisions({ units: { 县安全测试局: 'palace' } })), 'decisions.units', 'invalid');
  assertField(await post(hq, withDecisions({ units: { 县安全测试局: 'hq' } })), 'decisions.units', 'invalid');
  assertField(await post(hq, withDecisions({ units: { 县安全测试局: 7 } })), 'decisions.units', 'invalid');
  assertField(await post(hq, withDecisions({ units: [] })), 'decisions.units', 'invalid');
  assertField(await post(hq, withDecisions({ people: { 安全测试人: 'admin' } })), 'decisions.people', 'invalid');
  assertField(await post(hq, withDecisions({ units: { ['局'.repeat(201)]: 'skip' } })), 'decisions.units', 'too_long');
  assertField(await post(hq, withDecisions({ units: { '  ': 'skip' } })), 'decisions.units', 'required');
  assertField(await post(hq, withDecisions({ roles: {} })), 'decisions.roles', 'unknown');
  const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, 'skip']));
  assertField(await post(hq, withDecisions({ units: many })), 'decisions.units', 'too_many');
  // Beyond what a request line may carry the server refuses before anything runs.
  const huge = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`名称${i}`, 'skip']));
  const r = await post(hq, withDecisions({ units: huge }));
  assert.ok([414, 431].includes(r.status), show(r));
  assert.equal(await unitCount(), before);
  assert.equal((await hq.get('/health')).status, 200);
});

test('a responsible unit may not create units or people by importing; without the flag it sees per-cell errors', async () => {
  const before = await unitCount();
  const r = await post(unit, 'create_missing=1');
  assert.equal(r.status, 403, show(r));
  const plain = await post(unit, 'dry_run=1');
  assert.equal(plain.status, 422, show(plain));
  assert.equal(plain.body.error.missing, undefined, 'no onboarding list for who cannot act on it');
  assert.equal(await unitCount(), before);
});
