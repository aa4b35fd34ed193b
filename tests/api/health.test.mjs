// GET /health: no authentication, reports the database kind and schema version.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, dbKind, show, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('GET /health answers ok without a session and names the database in use', async () => {
  const res = await new Client(server.url).get('/health');
  assert.equal(res.status, 200, show(res));
  assert.match(res.headers['content-type'] || '', /^application\/json/);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.db, dbKind());
  assert.match(String(res.body.version), /^\d+\.\d+\.\d+/);
  assert.ok(Number.isInteger(res.body.schema_version) && res.body.schema_version >= 1, `schema_version ${res.body.schema_version}`);
});

test('GET /meta needs a session', async () => {
  const res = await new Client(server.url).get('/meta');
  assert.equal(res.status, 401, show(res));
  assert.equal(res.body?.error?.code, 'unauthenticated');
});

test('GET /meta lists the enumerations of the guide, with Hengdong\'s seven stages in order', async () => {
  const c = new Client(server.url);
  await c.signIn('viewer');
  const res = await c.get('/meta');
  assert.equal(res.status, 200, show(res));
  const keys = (list) => list.map((x) => x.key);
  assert.deepEqual(keys(res.body.roles), ['admin', 'hq', 'leader', 'unit', 'liaison', 'enterprise', 'inspector', 'viewer']);
  assert.deepEqual(keys(res.body.ranks), ['county_leader', 'unit_principal', 'unit_leader', 'section_chief', 'staff']);
  assert.deepEqual(keys(res.body.org_unit_kinds).sort(), ['approval', 'department', 'group', 'hq', 'park', 'township']);
  assert.deepEqual(keys(res.body.categories), ['industrial', 'infrastructure', 'social', 'agriculture', 'ecology', 'other']);
  assert.deepEqual(keys(res.body.levels), ['province', 'city', 'county']);
  assert.deepEqual(keys(res.body.funding_sources), ['central_budget', 'special_bonds', 'self_raised', 'bank_loans', 'other']);
  assert.deepEqual(keys(res.body.stages), ['planning', 'prereview', 'signing', 'siting', 'construction', 'review', 'operation']);
  assert.equal(res.body.stages.find((s) => s.key === 'construction').name, '落地开工');
  for (const s of res.body.stages) assert.ok(Array.isArray(s.requires), `stage ${s.key} has requires[]`);
});
