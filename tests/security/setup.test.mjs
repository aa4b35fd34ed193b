// The public first-run setup must not let a stranger who reaches a fresh server first become its administrator:
// POST /setup needs the one-time code `steward serve` prints to its log, and closes once any region has a user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, runSteward, show, sqlExec, startServer } from '../api/harness.mjs';

const PW = 'Hengdong#2026';
const body = (code) => ({ setup_code: code, region_code: '430424', admin: { username: 'intruder', password: PW } });

function userCount(dbUrl) {
  return Number(sqlExec(dbUrl, 'SELECT count(*) FROM users'));
}

describe('a fresh server', () => {
  let s;
  before(async () => { s = await startServer({ demo: false }); });
  after(async () => { await s?.stop(); });

  test('refuses a setup without the code or with a wrong one, and writes nothing', async () => {
    const c = new Client(s.url);
    for (const code of [undefined, '', 'AAAA-AAAA-AAAA-AAAA-AAAA', 'x'.repeat(5000)]) {
      const res = await c.post('/setup', body(code));
      assert.equal(res.status, 401, show(res));
      assert.equal(res.body.error.code, 'bad_setup_code');
    }
    assert.equal(userCount(s.dbUrl), 0);
    assert.equal(Number(sqlExec(s.dbUrl, 'SELECT count(*) FROM regions')), 0);
    assert.equal((await c.get('/setup')).body.configured, false);
  });

  test('the code works once; afterwards setup is closed even with the same code', async () => {
    const code = /setup code ([A-Z0-9-]+)/.exec(s.stderr())[1];
    const c = new Client(s.url);
    const ok = await c.post('/setup', { ...body(code.toLowerCase()), admin: { username: 'owner', password: PW } });
    assert.equal(ok.status, 201, show(ok));
    const again = await c.post('/setup', { ...body(code), region_code: '430426' });
    assert.equal(again.status, 409, show(again));
    assert.equal(userCount(s.dbUrl), 1);
  });
});

describe('a configured server', () => {
  let s;
  before(async () => { s = await startServer(); });
  after(async () => { await s?.stop(); });

  test('prints no setup code and answers 409 to any setup', async () => {
    assert.doesNotMatch(s.stderr(), /setup code/);
    const before = userCount(s.dbUrl);
    const res = await new Client(s.url).post('/setup', body('AAAA-AAAA-AAAA-AAAA-AAAA'));
    assert.equal(res.status, 409, show(res));
    assert.equal(userCount(s.dbUrl), before);
  });
});

test('a database set up by `steward init` while a server runs keeps the first-run page closed', async () => {
  const s = await startServer({ demo: false });
  try {
    const code = /setup code ([A-Z0-9-]+)/.exec(s.stderr())[1];
    const r = runSteward(['init', '--db', s.dbUrl, '--region', '430424', '--admin', 'cli_admin', '--password', PW]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const res = await new Client(s.url).post('/setup', { ...body(code), region_code: '430426' });
    assert.equal(res.status, 409, show(res));
    assert.equal(userCount(s.dbUrl), 1);
  } finally {
    await s.stop();
  }
});
