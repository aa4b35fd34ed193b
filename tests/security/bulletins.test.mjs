// Inspection bulletins: caps on every input, the dates checked, who may generate, edit and issue (headquarters
// only; a unit sees issued bulletins but never drafts; another county sees nothing and touches nothing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from '../api/harness.mjs';

let server, hq, unit, other, city;
let draft;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const fieldsOf = (r) => (r.body?.error?.fields ?? []).map((f) => `${f.field}:${f.reason}`);

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  hq = new Client(server.url);
  unit = new Client(server.url);
  other = new Client(server.url);
  city = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  await city.login('city');
  await other.login(qd.username, qd.password);
  const r = await hq.post('/bulletins', { period_start: '2026-11-16', period_end: '2026-11-22' });
  assert.equal(r.status, 201, show(r));
  draft = r.body;
});
after(async () => { await server?.stop(); });

test('the span is checked: dates, order, future, length', async () => {
  const cases = [
    [{ period_start: '2026-11-16' }, 'period_end:required'],
    [{ period_start: 'yesterday', period_end: '2026-11-22' }, 'period_start:invalid'],
    [{ period_start: '2026-11-22', period_end: '2026-11-16' }, 'period_end:before_start'],
    [{ period_start: '2026-11-20', period_end: '2026-11-30' }, 'period_end:future_date'],
    [{ period_start: '2024-01-01', period_end: '2026-11-20' }, 'period_end:span_too_long'],
    [{ period_start: 'x'.repeat(100), period_end: '2026-11-20' }, 'period_start:too_long'],
  ];
  for (const [body, field] of cases) {
    const r = await hq.post('/bulletins', body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)} → ${show(r)}`);
    assert.ok(fieldsOf(r).includes(field), `${field} in ${fieldsOf(r)}`);
  }
  assert.equal((await hq.post('/bulletins', { period_start: 20261116, period_end: '2026-11-22' })).status, 400);
  assert.equal((await hq.post('/bulletins', [1, 2])).status, 400);
});

test('every text of an edit is capped and named; nothing is written', async () => {
  const cases = [
    [{ title: 'x'.repeat(201) }, 'title:too_long'],
    [{ title: '   ' }, 'title:required'],
    [{ recipient: '单'.repeat(501) }, 'recipient:too_long'],
    [{ paragraphs: Array.from({ length: 61 }, () => '段') }, 'paragraphs:too_many'],
    [{ paragraphs: ['ok', '字'.repeat(4001)] }, 'paragraphs[1]:too_long'],
    [{ paragraphs: [] }, 'paragraphs:required'],
    [{ paragraphs: ['  '] }, 'paragraphs:required'],
  ];
  for (const [body, field] of cases) {
    const r = await hq.put(`/bulletins/${draft.id}`, { version: draft.version, ...body });
    assert.equal(r.status, 422, `${field} → ${show(r)}`);
    assert.ok(fieldsOf(r).includes(field), `${field} in ${fieldsOf(r)}`);
  }
  for (const body of [{ version: draft.version, paragraphs: 'text' }, { version: draft.version, paragraphs: [1] },
    { version: 'one' }, { title: 'no version' }]) {
    const r = await hq.put(`/bulletins/${draft.id}`, body);
    assert.ok([400, 422].includes(r.status), `${JSON.stringify(body)} → ${show(r)}`);
  }
  const now = (await hq.get(`/bulletins/${draft.id}`)).body;
  assert.equal(now.version, draft.version, 'nothing written');
  assert.equal((await hq.get('/bulletins?page_size=1000')).status, 422, 'a page is capped');
  assert.equal((await hq.get('/bulletins?page_size=100')).body.page_size, 100);
});

test('a unit neither generates nor edits nor issues, and sees no draft; it reads an issued bulletin', async () => {
  assert.equal((await unit.post('/bulletins', { period_start: '2026-11-16', period_end: '2026-11-22' })).status, 403);
  assert.equal((await unit.get(`/bulletins/${draft.id}`)).status, 404);
  assert.equal((await unit.put(`/bulletins/${draft.id}`, { version: draft.version, title: 'x' })).status, 404);
  assert.equal((await unit.post(`/bulletins/${draft.id}/issue`)).status, 404);
  assert.equal((await unit.get(`/bulletins/${draft.id}/document.pdf`)).status, 404);
  assert.ok(!(await unit.get('/bulletins')).body.items.some((b) => b.id === draft.id));
  // The city reads but cannot generate for the county.
  assert.equal((await city.post('/bulletins', { period_start: '2026-11-16', period_end: '2026-11-22' })).status, 403);
  const issued = await hq.post(`/bulletins/${draft.id}/issue`);
  assert.equal(issued.status, 200, show(issued));
  const seen = await unit.get(`/bulletins/${draft.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.number, issued.body.number);
  assert.equal((await unit.post(`/bulletins/${draft.id}/issue`)).status, 403);
  assert.ok((await unit.get('/bulletins')).body.items.some((b) => b.id === draft.id));
});

test('another county sees nothing of it and touches nothing', async () => {
  const r = await hq.post('/bulletins', { period_start: '2026-11-09', period_end: '2026-11-15' });
  const id = r.body.id;
  for (const res of [await other.get(`/bulletins/${id}`), await other.get(`/bulletins/${draft.id}`),
    await other.put(`/bulletins/${id}`, { version: r.body.version, title: '改' }),
    await other.post(`/bulletins/${id}/issue`), await other.get(`/bulletins/${draft.id}/document.docx`)])
    assert.equal(res.status, 404, show(res));
  assert.equal((await other.get('/bulletins')).body.total, 0);
  // Its own bulletin numbers in its own sequence.
  const own = await other.post('/bulletins', { period_start: '2026-11-16', period_end: '2026-11-22' });
  assert.equal(own.status, 201, show(own));
  assert.equal(own.body.sections.projects.total, 0, 'none of 衡东县 projects');
  const n = await other.post(`/bulletins/${own.body.id}/issue`);
  assert.match(n.body.number, /〔2026〕1号$/);
  assert.equal(sqlExec(server.dbUrl, `SELECT status FROM bulletins WHERE id = ${id}`), 'draft');
});
