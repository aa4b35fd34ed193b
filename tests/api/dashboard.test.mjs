// The home page's figures: real counts from the database, scoped by region, consistent with the lists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

async function as(user) {
  const c = new Client(server.url);
  const r = await c.login(user, 'Steward@2026');
  assert.equal(r.status, 200, show(r));
  return c;
}

test('the demo county\'s figures add up and match the project list', async () => {
  const hq = await as('hq');
  const d = await hq.get('/dashboard');
  assert.equal(d.status, 200, show(d));
  assert.equal(d.body.region_name, '衡东县');
  assert.equal(d.body.org.units, 26);
  assert.equal(d.body.org.approval, 20);
  assert.ok(d.body.org.townships > 0 && d.body.org.townships < 26);
  const p = d.body.projects;
  const list = await hq.get('/projects?page_size=1');
  assert.equal(p.total, list.body.total);
  assert.equal(p.total_investment, list.body.total_investment);
  assert.equal(p.by_stage.reduce((s, x) => s + x.count, 0), p.total);
  assert.equal(p.by_stage.reduce((s, x) => s + x.total_investment, 0), p.total_investment);
  assert.equal(p.by_category.reduce((s, x) => s + x.count, 0), p.total);
  const missing = await hq.get('/projects?missing=1&page_size=1');
  assert.equal(p.missing_ones, missing.body.total);
  assert.ok(Number.isInteger(p.annual_plan) && p.annual_plan > 0);
});

test('a new project moves the figures', async () => {
  const hq = await as('hq');
  const before = (await hq.get('/dashboard')).body.projects;
  const r = await hq.post('/projects', { name: '仪表盘测试项目', category: 'social', total_investment: 12_345_678 });
  assert.equal(r.status, 201, show(r));
  const afterward = (await hq.get('/dashboard')).body.projects;
  assert.equal(afterward.total, before.total + 1);
  assert.equal(afterward.total_investment, before.total_investment + 12_345_678);
  const social = (x) => x.by_category.find((c) => c.key === 'social').count;
  assert.equal(social(afterward), social(before) + 1);
});

test('the city sees its counties; readers see project activity only, administrators all changes', async () => {
  const city = (await (await as('city')).get('/dashboard')).body;
  const county = (await (await as('hq')).get('/dashboard')).body;
  assert.equal(city.region_name, '衡阳市');
  assert.equal(city.projects.total, county.projects.total);
  const viewer = (await (await as('viewer')).get('/dashboard')).body;
  assert.ok(viewer.recent_audit.length > 0);
  assert.ok(viewer.recent_audit.every((e) => e.entity === 'project'), JSON.stringify(viewer.recent_audit.map((e) => e.entity)));
  assert.ok(viewer.recent_audit.every((e) => typeof e.entity_name === 'string' && e.entity_name.length > 0));
  const admin = await as('admin');
  await admin.patch(`/org-units/${(await admin.get('/org-units?kind=approval')).body.items[0].id}`, { sort: 99 });
  const all = (await admin.get('/dashboard')).body.recent_audit;
  assert.equal(all[0].entity, 'org_unit');
  assert.ok(all.every((e) => !['login', 'login_failed', 'logout'].includes(e.action)));
});
