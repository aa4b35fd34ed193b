// Sign-in, sessions, lock-out, sign-out and password change (issue "foundation").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, PASSWORD, show, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const setCookies = (res) => [].concat(res.headers['set-cookie'] || []);

test('sign-in sets an HttpOnly SameSite=Strict session cookie and returns the user with a CSRF token', async () => {
  const c = new Client(server.url);
  const res = await c.login('admin', PASSWORD);
  assert.equal(res.status, 200, show(res));
  const cookie = setCookies(res).find((l) => l.startsWith('steward_session='));
  assert.ok(cookie, `steward_session cookie in ${JSON.stringify(setCookies(res))}`);
  assert.match(cookie, /;\s*HttpOnly/i);
  assert.match(cookie, /;\s*SameSite=Strict/i);
  assert.match(cookie, /;\s*Path=\/(;|$)/i);
  assert.equal(typeof res.body.csrf_token, 'string');
  assert.ok(res.body.csrf_token.length >= 16, 'csrf token is long enough to be unguessable');
  const u = res.body.user;
  assert.equal(u.username, 'admin');
  assert.ok(u.roles.includes('admin'));
  assert.equal(u.region_code, '430424');
  assert.equal(u.region_name, '衡东县');
  assert.equal(u.disabled, false);
  assert.ok(Number.isInteger(u.id));
  assert.doesNotMatch(JSON.stringify(res.body), /password|argon2/i, 'no password material in the response');

  const me = await c.get('/auth/me');
  assert.equal(me.status, 200, show(me));
  assert.equal(me.body.user.id, u.id);
  assert.equal(me.body.user.username, 'admin');
  assert.equal(me.body.csrf_token, res.body.csrf_token);
});

test('GET /auth/me without a session is 401 unauthenticated', async () => {
  const res = await new Client(server.url).get('/auth/me');
  assert.equal(res.status, 401, show(res));
  assert.equal(res.body.error.code, 'unauthenticated');
});

test('a forged session cookie is 401', async () => {
  const c = new Client(server.url);
  c.cookies.set('steward_session', 'x'.repeat(43));
  const res = await c.get('/auth/me');
  assert.equal(res.status, 401, show(res));
});

test('wrong password is 401 invalid_credentials, and an unknown user gets exactly the same answer', async () => {
  const wrong = await new Client(server.url).login('hq', 'Wrong@2026x');
  assert.equal(wrong.status, 401, show(wrong));
  assert.equal(wrong.body.error.code, 'invalid_credentials');
  assert.equal(setCookies(wrong).some((l) => /^steward_session=[^;]+/.test(l) && !/max-age=0/i.test(l)), false, 'no session on failure');
  const unknown = await new Client(server.url).login('nobody_here', 'Wrong@2026x');
  assert.equal(unknown.status, 401, show(unknown));
  assert.deepEqual(unknown.body, wrong.body, 'no user enumeration: same body for unknown user and wrong password');
  // The failed attempt above did not lock hq.
  assert.equal((await new Client(server.url).login('hq', PASSWORD)).status, 200);
});

test('five failed sign-ins lock the account (423 with locked_until), other users are unaffected', async () => {
  for (let i = 1; i <= 4; i++) {
    const r = await new Client(server.url).login('inspector', `Bad@pass${i}`);
    assert.equal(r.status, 401, `attempt ${i}: ${show(r)}`);
  }
  const fifth = await new Client(server.url).login('inspector', 'Bad@pass5');
  assert.ok([401, 423].includes(fifth.status), `fifth attempt: ${show(fifth)}`);
  const t0 = Date.now();
  const locked = await new Client(server.url).login('inspector', PASSWORD);
  assert.equal(locked.status, 423, `correct password on a locked account: ${show(locked)}`);
  assert.equal(locked.body.error.code, 'account_locked');
  const until = locked.body.error.locked_until ?? locked.body.locked_until;
  assert.ok(until, `locked_until in ${show(locked)}`);
  const ms = Date.parse(until) - t0;
  assert.ok(ms > 14 * 60_000 && ms <= 15 * 60_000 + 5_000, `locked for about 15 minutes, got ${until}`);
  assert.equal(setCookies(locked).some((l) => /^steward_session=[^;]+/.test(l) && !/max-age=0/i.test(l)), false);
  // Still locked for a wrong password too, and another user signs in fine.
  assert.equal((await new Client(server.url).login('inspector', 'Bad@pass6')).status, 423);
  assert.equal((await new Client(server.url).login('leader', PASSWORD)).status, 200);
});

test('logout needs the CSRF token, then invalidates the session', async () => {
  const c = new Client(server.url);
  await c.signIn('viewer');
  const cookie = c.cookies.get('steward_session');
  assert.ok(cookie);
  const noToken = await c.post('/auth/logout', null, { csrf: false });
  assert.equal(noToken.status, 403, show(noToken));
  assert.equal(noToken.body.error.code, 'csrf_failed');
  assert.equal((await c.get('/auth/me')).status, 200, 'session survives a logout without token');

  const out = await c.post('/auth/logout');
  assert.equal(out.status, 204, show(out));
  assert.equal((await c.get('/auth/me')).status, 401);
  // The old cookie value is dead on the server, not only forgotten by this client.
  const replay = new Client(server.url);
  replay.cookies.set('steward_session', cookie);
  const r = await replay.get('/auth/me');
  assert.equal(r.status, 401, show(r));
  assert.equal(r.body.error.code, 'unauthenticated');
});

test('password change: weak new password and wrong old password are 422 naming the field', async () => {
  const c = new Client(server.url);
  await c.signIn('enterprise');
  for (const weak of ['abc', 'abcdefghij', 'Abcdefghij', 'Ab1!']) {
    const r = await c.post('/auth/password', { old_password: PASSWORD, new_password: weak });
    assert.equal(r.status, 422, `${weak}: ${show(r)}`);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.reason]), [['new_password', 'too_weak']], weak);
  }
  const wrongOld = await c.post('/auth/password', { old_password: 'Not@theold1', new_password: 'Better#Pass9' });
  assert.equal(wrongOld.status, 422, show(wrongOld));
  assert.ok(wrongOld.body.error.fields.some((f) => f.field === 'old_password' && f.reason === 'incorrect'), show(wrongOld));
  // Nothing changed: the original password still signs in.
  assert.equal((await new Client(server.url).login('enterprise', PASSWORD)).status, 200);
});

test('password change succeeds; the new password signs in and the old one no longer does', async () => {
  const c = new Client(server.url);
  await c.signIn('liaison');
  const r = await c.post('/auth/password', { old_password: PASSWORD, new_password: 'Fresh#Start2026' });
  assert.equal(r.status, 204, show(r));
  assert.equal((await new Client(server.url).login('liaison', 'Fresh#Start2026')).status, 200);
  const old = await new Client(server.url).login('liaison', PASSWORD);
  assert.equal(old.status, 401, show(old));
  assert.equal(old.body.error.code, 'invalid_credentials');
});

test('sign-in with a missing field is 422, not a crash', async () => {
  const r = await new Client(server.url).post('/auth/login', { username: 'admin' });
  assert.ok([400, 401, 422].includes(r.status), show(r));
  assert.ok(r.body?.error?.code, show(r));
  assert.equal((await new Client(server.url).get('/health')).status, 200);
});
