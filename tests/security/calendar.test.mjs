// The national calendar is written by a system administrator only (an administrator of a province, the top of the
// region tree); a county's administrator, headquarters or anyone else gets 403. A bad year — too many entries, a
// day both holiday and workday, a day of another year — is a 422 naming the entry, and nothing is written.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, PASSWORD, runSteward, show, signedIn, sqlExec, startServer } from '../api/harness.mjs';

const stored = (dbUrl) => sqlExec(dbUrl, 'SELECT count(*) FROM work_calendar_years') + '/' +
  sqlExec(dbUrl, 'SELECT count(*) FROM work_calendar') + '/' +
  sqlExec(dbUrl, "SELECT count(*) FROM audit_log WHERE entity = 'work_calendar'");
const ok2027 = { holidays: [{ day: '2027-02-08', name: '春节' }], workdays: [{ day: '2027-02-14', name: '春节' }] };

describe('calendar writes', () => {
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

  test('only a system administrator writes: the county admin, hq, the city and a stranger cannot', async () => {
    for (const u of ['admin', 'hq', 'leader', 'city', 'viewer']) {
      const c = await signedIn(s.url, u);
      const res = await c.put('/calendar/2027', ok2027);
      assert.equal(res.status, 403, `${u}: ${show(res)}`);
    }
    const anon = await new Client(s.url).put('/calendar/2027', ok2027);
    assert.equal(anon.status, 401, show(anon));
    const read = await new Client(s.url).get('/calendar?year=2026');
    assert.equal(read.status, 401, show(read));
    assert.equal(stored(s.dbUrl), '0/0/0');
  });

  test('a day both a holiday and a workday is refused naming the day', async () => {
    const admin = await signedIn(s.url, 'sysadmin');
    const res = await admin.put('/calendar/2027', {
      holidays: [{ day: '2027-02-06', name: '春节' }, { day: '2027-02-07', name: '春节' }],
      workdays: [{ day: '2027-02-07', name: '春节' }],
    });
    assert.equal(res.status, 422, show(res));
    assert.match(res.body.error.message, /2027-02-07 既是节假日又是调休上班日/);
    assert.deepEqual(res.body.error.fields, [{ field: 'workdays[0].day', reason: 'also_holiday' }]);
    assert.equal(stored(s.dbUrl), '0/0/0');
  });

  test('days of another year, malformed days, duplicates and missing names name their entries', async () => {
    const admin = await signedIn(s.url, 'sysadmin');
    const res = await admin.put('/calendar/2027', {
      holidays: [{ day: '2026-12-31', name: '元旦' }, { day: '2027-02-30', name: '春节' }, { day: '2027-05-01' },
        { day: '2027-05-02', name: '劳动节' }, { day: '2027-05-02', name: '劳动节' }],
      workdays: [],
    });
    assert.equal(res.status, 422, show(res));
    assert.deepEqual(res.body.error.fields, [
      { field: 'holidays[0].day', reason: 'outside_year' },
      { field: 'holidays[1].day', reason: 'invalid' },
      { field: 'holidays[2].name', reason: 'required' },
      { field: 'holidays[4].day', reason: 'duplicate' },
    ]);
    const missing = await admin.put('/calendar/2027', { holidays: [] });
    assert.equal(missing.status, 422, show(missing));
    assert.deepEqual(missing.body.error.fields, [{ field: 'workdays', reason: 'required' }]);
    const wrongType = await admin.put('/calendar/2027', { holidays: 'all of them', workdays: [] });
    assert.equal(wrongType.status, 400, show(wrongType));
    const badYear = await admin.put('/calendar/99999', ok2027);
    assert.equal(badYear.status, 422, show(badYear));
    assert.equal(stored(s.dbUrl), '0/0/0');
  });

  test('at most 60 entries of each kind, and names are short', async () => {
    const admin = await signedIn(s.url, 'sysadmin');
    const days = [];
    for (let m = 1; m <= 3; m++) for (let d = 1; d <= 28; d++) days.push(`2027-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const many = days.slice(0, 61).map((day) => ({ day, name: '假' }));
    const res = await admin.put('/calendar/2027', { holidays: many, workdays: [] });
    assert.equal(res.status, 422, show(res));
    assert.deepEqual(res.body.error.fields, [{ field: 'holidays', reason: 'too_many' }]);
    const sixty = await admin.put('/calendar/2027', { holidays: [], workdays: many.slice(0, 60) });
    assert.equal(sixty.status, 200, show(sixty));
    const long = await admin.put('/calendar/2027', { holidays: [{ day: '2027-10-01', name: '国'.repeat(21) }], workdays: [] });
    assert.equal(long.status, 422, show(long));
    assert.deepEqual(long.body.error.fields, [{ field: 'holidays[0].name', reason: 'too_long' }]);
    assert.equal(stored(s.dbUrl), '1/60/1');
  });

  test('a bad file given to the CLI names the entry and writes nothing', () => {
    const before = stored(s.dbUrl);
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ year: 2029, holidays: [{ day: '2029-01-01', name: '元旦' }],
      workdays: [{ day: '2029-01-01', name: '元旦' }] }));
    const r = runSteward(['calendar', 'import', file, '--db', s.dbUrl]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /2029-01-01 既是节假日又是调休上班日/);
    assert.match(r.stderr, /workdays\[0\]\.day: also_holiday/);
    writeFileSync(file, JSON.stringify({ holidays: [], workdays: [] }));
    const noYear = runSteward(['calendar', 'import', file, '--db', s.dbUrl]);
    assert.equal(noYear.code, 1);
    assert.match(noYear.stderr, /year: required/);
    writeFileSync(file, '{"year": 2029, "holidays": [');
    const notJson = runSteward(['calendar', 'import', file, '--db', s.dbUrl]);
    assert.notEqual(notJson.code, 0);
    assert.match(notJson.stderr, /not a calendar file/);
    assert.equal(stored(s.dbUrl), before);
  });
});
