// Money overflow: every amount is bounded to 0..10^15 yuan, parts and months are summed with overflow checks,
// and the list and dashboard aggregate without overflow, even over rows stored before amounts were bounded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { show, signedIn, sqlExec, startServer } from '../api/harness.mjs';

let server;
const as = {};
let project;
let second;

const MAX = 1_000_000_000_000_000; // 10^15, exactly representable in a double
const INT64_MAX = '9223372036854775807';

before(async () => {
  server = await startServer();
  for (const u of ['hq', 'city', 'viewer']) as[u] = await signedIn(server.url, u);
  const list = await as.hq.get('/projects?page_size=2&sort=name&order=asc');
  assert.equal(list.status, 200, show(list));
  [project, second] = list.body.items;
});
after(async () => { await server?.stop(); });

const fieldOf = (r) => (r.body?.error?.fields || []).map((f) => `${f.field}:${f.reason}`);
// JSON text with integers beyond what a JS number holds exactly, as an attacker would send them.
const raw = (obj, big) => JSON.stringify(obj).replace(/"@BIG@"/g, big);

test('total_investment above 10^15, at 2^63-1 and at 2^64 is refused with 422 naming the field', async () => {
  const before = (await as.hq.get(`/projects/${project.id}`)).body;
  for (const big of [String(MAX + 1), INT64_MAX, '18446744073709551615', '9223372036854775808']) {
    const r = await as.hq.patch(`/projects/${project.id}`, raw({ total_investment: '@BIG@' }, big));
    assert.equal(r.status, 422, `${big}: ${show(r)}`);
    assert.ok(/^total_investment:(too_large|out_of_range)$/.test(fieldOf(r)[0]), `${big}: ${fieldOf(r)}`);
  }
  const neg = await as.hq.patch(`/projects/${project.id}`, raw({ total_investment: '@BIG@' }, '-9223372036854775808'));
  assert.equal(neg.status, 422, show(neg));
  const after = (await as.hq.get(`/projects/${project.id}`)).body;
  assert.equal(after.total_investment, before.total_investment);
  assert.equal(after.version, before.version);
  const ok = await as.hq.patch(`/projects/${project.id}`, { total_investment: MAX });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.total_investment, MAX);
});

test('funding parts that would wrap a 64-bit sum are refused', async () => {
  // Two parts of 2^62 each and a third wrap the sum negative; before the fix this passed "funding ≤ total".
  const part = '4611686018427387904';
  const body = `{"funding":{"central_budget":${part},"special_bonds":${part},"self_raised":${part},"bank_loans":${part}}}`;
  const r = await as.hq.patch(`/projects/${project.id}`, body);
  assert.equal(r.status, 422, show(r));
  assert.ok(fieldOf(r).includes('funding.central_budget:too_large'), String(fieldOf(r)));
  const overTotal = await as.hq.patch(`/projects/${project.id}`, {
    total_investment: 100, funding: { central_budget: 60, special_bonds: 60 },
  });
  assert.equal(overTotal.status, 422, show(overTotal));
  assert.ok(fieldOf(overTotal).includes('funding:exceeds_total'));
});

test('monthly plans that wrap a 64-bit sum are refused, and each month is bounded', async () => {
  // Twelve months of 2^62 + … sum to 0 mod 2^64: annual 0 used to match.
  const m = '4611686018427387904';
  const wrap = `{"year":2026,"annual":0,"months":[${[m, m, m, m, 0, 0, 0, 0, 0, 0, 0, 0].join(',')}]}`;
  const r = await as.hq.put(`/projects/${project.id}/plan`, wrap);
  assert.equal(r.status, 422, show(r));
  assert.ok(fieldOf(r).includes('months[0]:too_large'), String(fieldOf(r)));
  const bigAnnual = await as.hq.put(`/projects/${project.id}/plan`, raw({ year: 2026, annual: '@BIG@', months: Array(12).fill(0) }, INT64_MAX));
  assert.equal(bigAnnual.status, 422, show(bigAnnual));
  const neg = await as.hq.put(`/projects/${project.id}/plan`, { year: 2026, annual: 0, months: [-1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  assert.equal(neg.status, 422, show(neg));
  assert.ok(fieldOf(neg).includes('months[0]:negative'));
  const ok = await as.hq.put(`/projects/${project.id}/plan`, { year: 2026, annual: 12 * 80_000_000_000_000, months: Array(12).fill(80_000_000_000_000) });
  assert.equal(ok.status, 200, show(ok));
});

test('rows stored before the bound (2^63-1) do not break the list or the dashboard, for the county or the city', async () => {
  // Written straight into the database, as an older build accepted them.
  sqlExec(server.dbUrl, `UPDATE projects SET total_investment = ${INT64_MAX} WHERE id IN (${project.id}, ${second.id})`);
  sqlExec(server.dbUrl, `UPDATE project_plans SET annual = ${INT64_MAX} WHERE project_id = ${project.id}`);
  sqlExec(server.dbUrl, `INSERT INTO project_plans (project_id, year, annual, months) VALUES (${second.id}, 2026, ${INT64_MAX}, '0,0,0,0,0,0,0,0,0,0,0,0') ON CONFLICT DO NOTHING`);
  for (const who of ['hq', 'city', 'viewer']) {
    const list = await as[who].get('/projects?page_size=200');
    assert.equal(list.status, 200, `${who} list: ${show(list)}`);
    assert.ok(Number.isFinite(list.body.total_investment) && list.body.total_investment >= 2 * MAX, `${who}: ${list.body.total_investment}`);
    const d = await as[who].get('/dashboard');
    assert.equal(d.status, 200, `${who} dashboard: ${show(d)}`);
    assert.ok(d.body.projects.total_investment >= 2 * MAX);
    assert.ok(d.body.projects.annual_plan >= MAX);
    for (const s of d.body.projects.by_stage) assert.ok(s.total_investment >= 0);
    const one = await as[who].get(`/projects/${project.id}`);
    assert.equal(one.status, 200, show(one));
  }
  // The stored row is shown as it is, and a change that leaves the amount alone still works.
  const patched = await as.hq.patch(`/projects/${second.id}`, { content: '旧数据仍可编辑' });
  assert.ok(patched.status < 500, show(patched));
});

test('thousands of projects at the maximum cannot overflow the aggregate either', async () => {
  // 9,300 × 10^15 exceeds 2^63: the sum saturates instead of failing.
  sqlExec(server.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9300)
    INSERT INTO projects (region_code, name, category, total_investment, stage, created_at, updated_at, search_text)
    SELECT '430424', 'bulk' || i, 'other', ${MAX}, 'planning', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'BULK' || i FROM n`);
  const list = await as.hq.get('/projects?category=other');
  assert.equal(list.status, 200, show(list));
  assert.ok(list.body.total_investment >= 9e18, String(list.body.total_investment));
  const d = await as.city.get('/dashboard');
  assert.equal(d.status, 200, show(d));
});
