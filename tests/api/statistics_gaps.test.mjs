// The county's 入库纳统 cross-check: every live project's reported investment against what the statistics
// office registered, flagged when reported runs ahead of registered by more than the configured share (10% of
// reported by default, strictly more), flagged first and then by the largest gap; paged; a city names a county.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';

let server;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
let hq, city;
const ids = {};
const MAX = 1_000_000_000_000_000; // core::limits::kMaxYuan: reported * 10000 would overflow a BIGINT

// name → [total investment, reported, registered months (null: never registered)]
const CASES = {
  A: [100_000_000, 10_000_000, [['2026-01', 3_000_000], ['2026-02', 5_000_000]]], // 8000000: gap 20% → flagged
  B: [100_000_000, 10_000_000, [['2026-02', 9_000_000]]], // gap exactly 10% → not flagged
  C: [100_000_000, 10_000_000, [['2026-02', 8_999_999]]], // gap 10.00001% → flagged
  D: [100_000_000, 5_000_000, null], // nothing registered: gap 100% → flagged
  E: [100_000_000, 0, [['2026-02', 3_000_000]]], // registered ahead of reported: gap negative
  F: [MAX, MAX, [['2026-02', 900_000_000_000_000]]], // exactly 10% at the largest amounts → not flagged
  G: [MAX, MAX, [['2026-02', 899_999_999_999_999]]], // one yuan more → flagged
};

before(async () => {
  fs.writeFileSync(clock, '2026-03-03T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  city = new Client(server.url);
  await hq.login('hq');
  await city.login('city');
  for (const [name, [total, reported, months]] of Object.entries(CASES)) {
    const p = await hq.post('/projects', { name: `入统核对${name}`, category: 'industrial', total_investment: total });
    assert.equal(p.status, 201, show(p));
    ids[name] = p.body.id;
    if (reported > 0) {
      const r = await hq.post(`/projects/${p.body.id}/reports`, { investment: reported, percent: 10 });
      assert.equal(r.status, 201, show(r));
    }
    if (months) {
      const s = await hq.put(`/projects/${p.body.id}/statistics`, {
        registered: true, months: months.map(([month, amount]) => ({ month, amount })),
      });
      assert.equal(s.status, 200, show(s));
    }
  }
});
after(async () => { await server?.stop(); });

test('every project with reported against registered, flagged first, then the largest gap', async () => {
  const r = await hq.get('/statistics/gaps?page_size=200');
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.gap_threshold_bp, 1000);
  assert.equal(r.body.flagged, 4, 'A, C, D and G (the demo county has no reports)');
  assert.ok(r.body.total >= 7);
  const mine = r.body.items.filter((i) => Object.values(ids).includes(i.id));
  const nameOf = (id) => Object.keys(ids).find((k) => ids[k] === id);
  assert.deepEqual(mine.map((i) => nameOf(i.id)), ['G', 'D', 'A', 'C', 'F', 'B', 'E']);
  assert.deepEqual(r.body.items.slice(0, 4).map((i) => nameOf(i.id)), ['G', 'D', 'A', 'C'], 'flagged first');
  assert.equal(r.body.items.at(-1).id, ids.E, 'the only negative gap is last');
  const by = Object.fromEntries(mine.map((i) => [nameOf(i.id), i]));
  assert.deepEqual(
    { reported: by.A.reported_total, registered: by.A.registered_total, gap: by.A.gap, bp: by.A.gap_bp, flag: by.A.runs_ahead, reg: by.A.registered },
    { reported: 10_000_000, registered: 8_000_000, gap: 2_000_000, bp: 2000, flag: true, reg: true });
  assert.equal(by.B.gap_bp, 1000);
  assert.equal(by.B.runs_ahead, false, 'exactly the share is not past it');
  assert.equal(by.C.gap, 1_000_001);
  assert.equal(by.C.runs_ahead, true);
  assert.equal(by.D.registered, false);
  assert.equal(by.D.registered_total, 0);
  assert.equal(by.D.gap_bp, 10000);
  assert.equal(by.E.gap, -3_000_000);
  assert.equal(by.E.runs_ahead, false);
  assert.equal(by.F.reported_total, MAX);
  assert.equal(by.F.gap, 100_000_000_000_000);
  assert.equal(by.F.runs_ahead, false);
  assert.equal(by.G.runs_ahead, true);
  // The per-project view agrees with the list.
  for (const k of Object.keys(ids)) {
    const s = await hq.get(`/projects/${ids[k]}/statistics`);
    assert.equal(s.body.runs_ahead, by[k].runs_ahead, k);
    assert.equal(s.body.gap, by[k].gap, k);
  }
});

test('paged: the counts stay on every page, past the end too', async () => {
  const p1 = await hq.get('/statistics/gaps?page=1&page_size=2');
  assert.equal(p1.status, 200, show(p1));
  assert.deepEqual(p1.body.items.map((i) => i.id), [ids.G, ids.D]);
  const p2 = await hq.get('/statistics/gaps?page=2&page_size=2');
  assert.deepEqual(p2.body.items.map((i) => i.id), [ids.A, ids.C]);
  assert.equal(p2.body.total, p1.body.total);
  assert.equal(p2.body.flagged, 4);
  const past = await hq.get('/statistics/gaps?page=9999&page_size=2');
  assert.equal(past.status, 200, show(past));
  assert.deepEqual(past.body.items, []);
  assert.equal(past.body.total, p1.body.total);
  assert.equal(past.body.flagged, 4);
  assert.equal((await hq.get('/statistics/gaps?page_size=500')).status, 422);
});

test('a city names one of its counties', async () => {
  const up = await city.get('/statistics/gaps');
  assert.equal(up.status, 422, show(up));
  assert.deepEqual(up.body.error.fields.map((f) => `${f.field}:${f.reason}`), ['region:county_required']);
  const down = await city.get('/statistics/gaps?region=430424');
  assert.equal(down.status, 200, show(down));
  assert.equal(down.body.flagged, 4);
  assert.equal((await city.get('/statistics/gaps?region=110101')).status, 404);
  assert.equal((await city.get('/statistics/gaps?region=43x')).status, 422);
});
