// Outgoing webhooks to a local stand-in for DingTalk's and WeCom's robots: a returned report and a test message
// are delivered in each service's shape (DingTalk's signed); a receiver that fails (500, errcode≠0, a timeout)
// and then recovers gets the delivery on a later attempt as the test clock passes the backoff; a delivery
// pending when the server stops is sent after it starts again; the delivery log shows every attempt.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';
import { dingtalkSignatureValid, receiverConfig, startReceiver, until } from './webhook_receiver.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
const config = receiverConfig();
const args = (interval) => ['--config', config, '--clock-file', clock, '--allow-test-clock', '--deliver-interval', interval];
let server, receiver, admin;

before(async () => {
  setClock('2026-03-03T02:00:00Z');
  receiver = await startReceiver();
  server = await startServer({ extraArgs: args('1') });
  admin = new Client(server.url);
  await admin.signIn('admin');
});
after(async () => { await server?.stop(); await receiver?.close(); });

const deliveries = (c, id) => () => c.get(`/webhooks/${id}/deliveries`);
const postsTo = (p) => receiver.posts.filter((x) => x.url.startsWith(p));

test('a returned report reaches a DingTalk robot (signed) and a WeCom robot in their shapes', async () => {
  receiver.answer('ok');
  const ding = await admin.post('/webhooks', { name: '指挥部钉钉群', kind: 'dingtalk', url: `${receiver.url}/ding?access_token=t1`,
    secret: 'SECtest-secret', events: ['report_returned'] });
  assert.equal(ding.status, 201, show(ding));
  assert.equal(ding.body.has_secret, true);
  assert.equal(ding.body.secret, undefined);
  const wecom = await admin.post('/webhooks', { name: '企业微信群', kind: 'wecom', url: `${receiver.url}/wecom?key=k1`,
    events: ['report_returned'] });
  assert.equal(wecom.status, 201, show(wecom));
  const quiet = await admin.post('/webhooks', { name: '不订阅', kind: 'wecom', url: `${receiver.url}/quiet`, events: ['overdue'] });
  assert.equal(quiet.status, 201, show(quiet));

  // A liaison's report for February, returned by headquarters: notify() enqueues it in that transaction.
  const hq = await new Client(server.url).signIn('hq');
  const liaison = await new Client(server.url).signIn('liaison');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  const project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status !== 'cancelled');
  sqlExec(server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
  const rep = await liaison.post(`/projects/${project.id}/reports`, { investment: 1_000_000, percent: 10,
    progress: '场地平整', workers: 10, machines: 2, next_plan: '基础施工', problems: [] });
  assert.equal(rep.status, 201, show(rep));
  const ret = await hq.post(`/reports/${rep.body.id}/return`, { reason: '缺现场照片' });
  assert.equal(ret.status, 200, show(ret));

  await until(deliveries(admin, ding.body.id), (r) => r.body.items[0]?.status === 'delivered', 'the DingTalk delivery');
  await until(deliveries(admin, wecom.body.id), (r) => r.body.items[0]?.status === 'delivered', 'the WeCom delivery');
  const [d] = postsTo('/ding');
  const dj = JSON.parse(d.body);
  assert.equal(dj.msgtype, 'markdown');
  assert.match(dj.markdown.title, /^进度报告被退回：/);
  assert.match(dj.markdown.text, /缺现场照片/);
  assert.equal(d.headers['content-type'], 'application/json; charset=utf-8');
  assert.match(d.url, /^\/ding\?access_token=t1&timestamp=\d+&sign=/);
  const sig = dingtalkSignatureValid(d.url, 'SECtest-secret');
  assert.ok(sig.ok, `signature of ${d.url}`);
  assert.equal(sig.timestamp, Date.parse('2026-03-03T02:00:00Z'), 'signed at the service clock');
  const [w] = postsTo('/wecom');
  const wj = JSON.parse(w.body);
  assert.deepEqual(Object.keys(wj.markdown), ['content']);
  assert.match(wj.markdown.content, /进度报告被退回：[\s\S]*缺现场照片/);
  assert.equal(postsTo('/quiet').length, 0, 'a webhook not subscribed to the event gets nothing');
  const log = (await admin.get(`/webhooks/${ding.body.id}/deliveries`)).body.items[0];
  assert.equal(log.event, 'report_returned');
  assert.equal(log.attempts, 1);
  assert.equal(log.log.length, 1);
  assert.equal(log.log[0].http_status, 200);
});

test('a receiver that fails (500, errcode, a timeout) then recovers gets the delivery as the clock passes the backoff', async () => {
  receiver.answer(500, 'errcode', 'hang', 'ok');
  const hook = await admin.post('/webhooks', { name: '会恢复的群', kind: 'wecom', url: `${receiver.url}/flaky`, events: [] });
  assert.equal(hook.status, 201, show(hook));
  const t = await admin.post(`/webhooks/${hook.body.id}/test`);
  assert.equal(t.status, 202, show(t));
  const attempts = (n) => until(deliveries(admin, hook.body.id), (r) => r.body.items[0]?.attempts >= n, `attempt ${n}`);
  let r = await attempts(1);
  assert.equal(r.body.items[0].status, 'pending');
  assert.equal(r.body.items[0].next_attempt_at, '2026-03-03T02:00:30Z', 'retried 30 s later');
  setClock('2026-03-03T02:00:29Z');
  r = await admin.get(`/webhooks/${hook.body.id}/deliveries`);
  assert.equal(r.body.items[0].attempts, 1, 'not before its time');
  setClock('2026-03-03T02:00:30Z');
  r = await attempts(2);
  assert.equal(r.body.items[0].next_attempt_at, '2026-03-03T02:02:30Z', 'then 2 min later');
  setClock('2026-03-03T02:02:30Z');
  r = await attempts(3);
  assert.equal(r.body.items[0].next_attempt_at, '2026-03-03T02:12:30Z', 'then 10 min later');
  setClock('2026-03-03T02:12:30Z');
  r = await until(deliveries(admin, hook.body.id), (x) => x.body.items[0]?.status === 'delivered', 'the recovery');
  const d = r.body.items[0];
  assert.equal(d.attempts, 4);
  assert.equal(d.delivered_at, '2026-03-03T02:12:30Z');
  assert.deepEqual(d.log.map((a) => a.http_status), [500, 200, null, 200]);
  assert.equal(d.log[0].error, 'HTTP 500');
  assert.equal(d.log[1].error, 'errcode 310000: sign not match');
  assert.match(d.log[2].error, /超时/);
  assert.equal(d.log[3].error, '');
  assert.equal(postsTo('/flaky').length, 4);
  setClock('2026-03-03T02:00:00Z');
});

test('a delivery pending when the server stops is sent after it starts again', async () => {
  receiver.answer('ok');
  const first = await startServer({ extraArgs: args('0') });  // no delivery job: the outbox only fills
  let second;
  try {
    const a = await new Client(first.url).signIn('admin');
    const hook = await a.post('/webhooks', { name: '重启', kind: 'dingtalk', url: `${receiver.url}/restart`, events: [] });
    assert.equal(hook.status, 201, show(hook));
    assert.equal((await a.post(`/webhooks/${hook.body.id}/test`)).status, 202);
    const pending = await a.get(`/webhooks/${hook.body.id}/deliveries`);
    assert.equal(pending.body.items[0].status, 'pending');
    first.proc.kill('SIGTERM');
    await new Promise((r) => first.proc.once('exit', r));
    assert.equal(postsTo('/restart').length, 0);
    second = await startServer({ dbUrl: first.dbUrl, extraArgs: args('1') });
    const b = await new Client(second.url).signIn('admin');
    const r = await until(deliveries(b, hook.body.id), (x) => x.body.items[0]?.status === 'delivered', 'delivery after restart');
    assert.equal(r.body.items[0].attempts, 1);
    assert.equal(postsTo('/restart').length, 1);
    assert.match(JSON.parse(postsTo('/restart')[0].body).markdown.title, /测试消息/);
  } finally {
    await second?.stop();
    await first.stop();
  }
});

test('a robot subscribed to raised problems hears of one raised by a liaison, in the same commit', async () => {
  receiver.answer('ok');
  const hook = await admin.post('/webhooks', { name: '问题群', kind: 'wecom', url: `${receiver.url}/raised`,
    events: ['problem_raised', 'problem_solved', 'problem_rejected'] });
  assert.equal(hook.status, 201, show(hook));
  const liaison = await new Client(server.url).signIn('liaison');
  const project = (await liaison.get('/projects?page_size=1')).body.items[0];
  const p = await liaison.post('/problems', { title: '临时用电未接通', category: 'energy', project_id: project.id });
  assert.equal(p.status, 201, show(p));
  await until(deliveries(admin, hook.body.id), (r) => r.body.items[0]?.status === 'delivered', 'the delivery');
  assert.equal(postsTo('/raised').length, 1);
  assert.match(JSON.parse(postsTo('/raised')[0].body).markdown.content, /临时用电未接通/);
});
