// The national working-day calendar: GET /calendar?year= for anyone signed in, PUT /calendar/{year} for a system
// administrator, and `steward calendar import FILE` — an imported year replaces the embedded one, whole.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, runSteward, show, signedIn, sqlExec, startServer } from './harness.mjs';

const year2027 = {
  holidays: [
    { day: '2027-01-01', name: '元旦' },
    { day: '2027-02-06', name: '春节' },
    { day: '2027-02-07', name: '春节' },
    { day: '2027-02-08', name: '春节' },
  ],
  workdays: [{ day: '2027-02-14', name: '春节' }],
};

describe('the working-day calendar', () => {
  let s;
  let dir;
  before(async () => {
    s = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'steward-cal-'));
    const r = runSteward(['user', 'add', '--db', s.dbUrl, '--username', 'sysadmin', '--password', PASSWORD,
      '--display-name', '省系统管理员', '--role', 'admin', '--region', '430000']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  after(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('anyone signed in reads a covered year from the embedded data', async () => {
    const c = await signedIn(s.url, 'liaison');
    const res = await c.get('/calendar?year=2026');
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.covered, true);
    assert.equal(res.body.source, 'embedded');
    const days = res.body.holidays.map((d) => d.day);
    assert.ok(days.includes('2026-02-17') && days.includes('2026-10-01'));
    assert.deepEqual(res.body.workdays.map((d) => d.day),
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const y of [2024, 2025, 2026]) assert.ok(res.body.covered_years.includes(y), `${y}`);
  });

  test('a year not imported says so', async () => {
    const c = await signedIn(s.url, 'viewer');
    const res = await c.get('/calendar?year=2028');
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.covered, false);
    assert.equal(res.body.source, null);
    assert.match(res.body.warning, /2028年节假日未导入/);
    const bad = await c.get('/calendar?year=20x8');
    assert.equal(bad.status, 422, show(bad));
    assert.equal(bad.body.error.fields[0].field, 'year');
  });

  test('a system administrator imports 2027 and everyone reads it', async () => {
    const admin = await signedIn(s.url, 'sysadmin');
    const res = await admin.put('/calendar/2027', year2027);
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.source, 'imported');
    assert.equal(res.body.author, 'sysadmin');
    const c = await signedIn(s.url, 'hq');
    const got = await c.get('/calendar?year=2027');
    assert.equal(got.body.covered, true);
    assert.deepEqual(got.body.holidays, year2027.holidays);
    assert.deepEqual(got.body.workdays, year2027.workdays);
    const audit = sqlExec(s.dbUrl, "SELECT action || '|' || entity || '|' || entity_id FROM audit_log WHERE entity = 'work_calendar'");
    assert.equal(audit, 'create|work_calendar|2027');
  });

  test('importing a year again replaces it whole, and a stored 2026 overrides the embedded one', async () => {
    const admin = await signedIn(s.url, 'sysadmin');
    const res = await admin.put('/calendar/2027', { holidays: [{ day: '2027-10-01', name: '国庆节' }], workdays: [] });
    assert.equal(res.status, 200, show(res));
    assert.deepEqual(res.body.holidays, [{ day: '2027-10-01', name: '国庆节' }]);
    assert.deepEqual(res.body.workdays, []);
    const r2026 = await admin.put('/calendar/2026', { holidays: [{ day: '2026-10-01', name: '国庆节' }], workdays: [] });
    assert.equal(r2026.status, 200, show(r2026));
    const got = await admin.get('/calendar?year=2026');
    assert.equal(got.body.source, 'imported');
    assert.equal(got.body.holidays.length, 1);
    assert.equal(sqlExec(s.dbUrl, "SELECT count(*) FROM audit_log WHERE entity = 'work_calendar' AND action = 'update'"), '1');
  });

  test('the CLI imports a year file and shows it; the running server sees it', async () => {
    const file = join(dir, '2028.json');
    writeFileSync(file, JSON.stringify({ year: 2028, holidays: [{ day: '2028-01-01', name: '元旦' }], workdays: [] }));
    const r = runSteward(['calendar', 'import', file, '--db', s.dbUrl]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /calendar 2028 imported: 1 holidays, 0 workdays/);
    const shown = runSteward(['calendar', 'show', '2028', '--db', s.dbUrl]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /calendar 2028: imported\n2028-01-01\tholiday\t元旦/);
    const c = await signedIn(s.url, 'leader');
    const got = await c.get('/calendar?year=2028');
    assert.equal(got.body.covered, true);
    assert.equal(got.body.author, 'cli');
  });
});
