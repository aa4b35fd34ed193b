// Class: unbounded responses (item 4). Unpaged picker lists stop at 5,000 rows and say so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { show, signedIn, sqlExec, startServer } from '../api/harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const series = (n) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;

test('org-unit and people pickers answer at most 5,000 rows, flagged as truncated', async () => {
  const hq = await signedIn(server.url, 'hq');
  const before = await hq.get('/org-units');
  assert.equal(before.status, 200, show(before));
  assert.equal(before.body.truncated, false);
  sqlExec(server.dbUrl, `${series(5010)} INSERT INTO org_units (region_code, name, short_name, kind, sort, created_at, updated_at)
    SELECT '430424', 'bulk-unit-' || i, '', 'department', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n`);
  sqlExec(server.dbUrl, `${series(5010)} INSERT INTO users (region_code, username, display_name, password_hash, roles, created_at, updated_at)
    SELECT '430424', 'bulk-user-' || i, '某某' || i, '', 'viewer', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n`);
  const units = await hq.get('/org-units');
  assert.equal(units.status, 200);
  assert.equal(units.body.items.length, 5000);
  assert.equal(units.body.truncated, true);
  const people = await hq.get('/people');
  assert.equal(people.status, 200);
  assert.equal(people.body.items.length, 5000);
  assert.equal(people.body.truncated, true);
  const users = await hq.get('/users?page_size=200');
  assert.equal(users.status, 200);
  assert.equal(users.body.items.length, 200, 'the user list is paged');
  const tooBig = await hq.get('/users?page_size=100000');
  assert.equal(tooBig.status, 422);
});
