// SIGTERM lets requests in flight finish, then the process exits 0.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { PASSWORD, startServer } from './harness.mjs';

let server;
after(async () => { await server?.stop(); });

// Starts a sign-in with `Expect: 100-continue`. The server answers "100 Continue" once it has read the header,
// so when `continued` resolves the request is known to be in the server's hands, without sleeping. The body is
// sent by calling send().
function inFlightLogin(url) {
  const u = new URL(url);
  const body = JSON.stringify({ username: 'admin', password: PASSWORD });
  let continued;
  const continuedP = new Promise((r) => { continued = r; });
  let req;
  const responseP = new Promise((resolve, reject) => {
    req = http.request({ host: u.hostname, port: u.port, path: '/api/v1/auth/login', method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' } },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('continue', () => continued());
    req.flushHeaders();
  });
  return { continuedP, responseP, send: () => req.end(body) };
}

test('a sign-in in flight when SIGTERM arrives completes with 200 and the process exits 0', async () => {
  server = await startServer();
  const { continuedP, responseP, send } = inFlightLogin(server.url);
  await continuedP; // the server has read the request's header: it is in flight
  const exitP = server.stop();
  send();
  const res = await responseP;
  assert.equal(res.status, 200, res.body);
  assert.ok(JSON.parse(res.body).csrf_token);
  const exit = await exitP;
  assert.deepEqual(exit, { code: 0, signal: null }, `exit ${JSON.stringify(exit)}\n${server.stderr()}`);
});

test('an idle server exits 0 on SIGTERM (not killed after the 10 s grace)', async () => {
  server = await startServer({ demo: false });
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
});

test('an idle keep-alive connection does not hold up shutdown', async () => {
  server = await startServer({ demo: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const u = new URL(server.url);
  const status = await new Promise((resolve, reject) => {
    http.get({ host: u.hostname, port: u.port, path: '/api/v1/health', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  assert.equal(status, 200);
  const exit = await server.stop();
  agent.destroy();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit ${JSON.stringify(exit)}: the server waited on the idle connection\n${server.stderr()}`);
});
