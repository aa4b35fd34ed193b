// Webhooks against a county administrator who means harm: only https, no private, loopback, link-local or
// metadata addresses (checked on save and again at delivery), caps, secrets never returned or audited, another
// county's webhooks invisible, and a slow or huge receiver does not hold the delivery job past its timeout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from '../api/harness.mjs';
import { receiverConfig, startReceiver, until } from '../api/webhook_receiver.mjs';

let server, receiver, admin;
const config = receiverConfig(1000);

before(async () => {
  receiver = await startReceiver();
  server = await startServer({ extraArgs: ['--config', config, '--deliver-interval', '1'] });
  admin = await new Client(server.url).signIn('admin');
});
after(async () => { await server?.stop(); await receiver?.close(); });

const hook = (url, over = {}) => ({ name: '群', kind: 'wecom', url, events: [], ...over });

test('plain http and private, loopback, link-local and metadata addresses are refused', async () => {
  for (const [url, reason] of [
    ['http://oapi.dingtalk.com/robot/send', 'https_required'],
    ['https://10.0.0.1/hook', 'private_address'],
    ['https://192.168.1.10/hook', 'private_address'],
    ['https://169.254.169.254/latest/meta-data', 'private_address'],
    ['https://100.100.100.200/latest/meta-data', 'private_address'],
    ['https://[::1]/hook', 'private_address'],
    ['https://[::ffff:127.0.0.1]/hook', 'private_address'],
    ['https://localhost/hook', 'private_address'],
    ['https://127.0.0.2/hook', 'private_address'],
    ['https://user@oapi.dingtalk.com/', 'invalid_url'],
    ['file:///etc/passwd', 'invalid_url'],
  ]) {
    const r = await admin.post('/webhooks', hook(url));
    assert.equal(r.status, 422, `${url}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field: 'url', reason }], url);
  }
  const list = await admin.get('/webhooks');
  assert.equal(list.body.items.length, 0, 'nothing was saved');
});

test('the address is checked again at delivery: a stored URL that reaches loopback is refused, never posted', async () => {
  const r = await admin.post('/webhooks', hook(`${receiver.url}/ok`));
  assert.equal(r.status, 201, show(r));
  // As if the row predated the check, or a name now resolved inside: https to a host that is loopback.
  const port = new URL(receiver.url).port;
  sqlExec(server.dbUrl, `UPDATE webhooks SET url = 'https://localhost:${port}/sneaky' WHERE id = ${r.body.id}`);
  await admin.post(`/webhooks/${r.body.id}/test`);
  const d = await until(() => admin.get(`/webhooks/${r.body.id}/deliveries`), (x) => x.body.items[0]?.attempts >= 1, 'the attempt');
  assert.match(d.body.items[0].log[0].error, /地址不允许/);
  assert.equal(receiver.posts.filter((p) => p.url === '/sneaky').length, 0);
  sqlExec(server.dbUrl, `UPDATE webhooks SET url = 'http://127.0.0.2:${port}/plain' WHERE id = ${r.body.id}`);
  await admin.post(`/webhooks/${r.body.id}/test`);
  const d2 = await until(() => admin.get(`/webhooks/${r.body.id}/deliveries`), (x) => x.body.items[0]?.attempts >= 1, 'the attempt');
  assert.match(d2.body.items[0].log[0].error, /https/);
  assert.equal((await admin.del(`/webhooks/${r.body.id}`)).status, 200);
});

test('secrets are never returned, in lists, answers or the audit', async () => {
  const secret = 'SECvery-secret-value-123';
  const c = await admin.post('/webhooks', hook(`${receiver.url}/s`, { kind: 'dingtalk', secret }));
  assert.equal(c.status, 201, show(c));
  const u = await admin.put(`/webhooks/${c.body.id}`, { secret: `${secret}-2`, name: '改名' });
  assert.equal(u.status, 200, show(u));
  assert.equal(u.body.has_secret, true);
  for (const r of [c, u, await admin.get('/webhooks'), await admin.get(`/audit?entity=webhook&entity_id=${c.body.id}`)]) {
    assert.ok(!r.raw.toString().includes('very-secret'), show(r));
  }
  const audit = await admin.get(`/audit?entity=webhook&entity_id=${c.body.id}`);
  assert.ok(audit.body.items.length >= 2, show(audit));
  assert.ok(!server.stderr().includes('very-secret'), 'not in the server log');
  await admin.del(`/webhooks/${c.body.id}`);
});

test('caps: 20 webhooks a county, known events only, sizes', async () => {
  const many = await admin.post('/webhooks', hook(`${receiver.url}/e`, { events: Array(17).fill('overdue') }));
  assert.equal(many.status, 422, show(many));
  assert.deepEqual(many.body.error.fields, [{ field: 'events', reason: 'too_many' }]);
  const unknown = await admin.post('/webhooks', hook(`${receiver.url}/e`, { events: ['drop_tables'] }));
  assert.deepEqual(unknown.body.error.fields, [{ field: 'events[0]', reason: 'unknown_event' }]);
  const long = await admin.post('/webhooks', hook(`${receiver.url}/${'a'.repeat(1001)}`));
  assert.deepEqual(long.body.error.fields, [{ field: 'url', reason: 'too_long' }]);
  const have = (await admin.get('/webhooks')).body.items.length;
  for (let k = have; k < 20; k++) assert.equal((await admin.post('/webhooks', hook(`${receiver.url}/n${k}`))).status, 201);
  const over = await admin.post('/webhooks', hook(`${receiver.url}/over`));
  assert.equal(over.status, 409, show(over));
  assert.equal(over.body.error.code, 'webhook_limit');
  for (const w of (await admin.get('/webhooks')).body.items) await admin.del(`/webhooks/${w.id}`);
});

test("only the county's administrators: hq is refused, another county's webhooks are 404", async () => {
  const hq = await new Client(server.url).signIn('hq');
  assert.equal((await hq.get('/webhooks')).status, 403);
  assert.equal((await hq.post('/webhooks', hook(`${receiver.url}/x`))).status, 403);
  const mine = await admin.post('/webhooks', hook(`${receiver.url}/mine`));
  const other = addOtherCounty(server.dbUrl, { username: 'qd_admin', role: 'admin' });
  const qd = await new Client(server.url).signIn(other.username, other.password);
  assert.equal((await qd.get('/webhooks')).body.items.length, 0);
  for (const r of [await qd.put(`/webhooks/${mine.body.id}`, { name: 'x' }), await qd.del(`/webhooks/${mine.body.id}`),
    await qd.post(`/webhooks/${mine.body.id}/test`), await qd.get(`/webhooks/${mine.body.id}/deliveries`)])
    assert.equal(r.status, 404, show(r));
  assert.equal((await admin.get('/webhooks')).body.items.length, 1);
  await admin.del(`/webhooks/${mine.body.id}`);
});

test('a slow or huge receiver does not hold the delivery job beyond its timeout', async () => {
  receiver.answer('hang', 'huge');
  const slow = await admin.post('/webhooks', hook(`${receiver.url}/slow`));
  await admin.post(`/webhooks/${slow.body.id}/test`);
  let d = await until(() => admin.get(`/webhooks/${slow.body.id}/deliveries`), (x) => x.body.items[0]?.attempts >= 1, 'the slow attempt');
  const a = d.body.items[0].log[0];
  assert.match(a.error, /超时/);
  assert.ok(a.ms >= 900 && a.ms < 3000, `gave up after the 1 s timeout, took ${a.ms} ms`);
  const huge = await admin.post('/webhooks', hook(`${receiver.url}/huge`));
  await admin.post(`/webhooks/${huge.body.id}/test`);
  d = await until(() => admin.get(`/webhooks/${huge.body.id}/deliveries`), (x) => x.body.items[0]?.attempts >= 1, 'the huge attempt');
  assert.match(d.body.items[0].log[0].error, /64 KiB/);
  assert.equal(d.body.items[0].status, 'pending', 'a failure is retried later');
  receiver.answer('ok');
});
