// Classes: connection exhaustion (item 6) and slow work on the network threads (item 7).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { httpRequest, startServer } from '../api/harness.mjs';

let server;
before(async () => {
  server = await startServer({
    extraArgs: ['--max-connections-per-client', '10', '--max-connections', '30', '--login-rate-client', '0', '--login-rate-user', '0'],
  });
});
after(async () => { await server?.stop(); });

const port = () => Number(new URL(server.url).port);

// Opens a connection from a loopback source address and sends half a request, like a slow client.
function slowClient(localAddress) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: port(), host: '127.0.0.1', localAddress });
    s.on('connect', () => { s.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{'); resolve(s); });
    s.on('error', reject);
  });
}

// Resolves 'closed' when the server closes the connection without answering, 'open' if it stays open for the
// whole probe (the server answers nothing to half a request, so an open socket stays silent).
function probe(localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ port: port(), host: '127.0.0.1', localAddress });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve({ state: 'closed', data }));
    s.on('error', () => {});
    s.on('connect', () => {
      s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    setTimeout(() => { s.destroy(); resolve({ state: 'open', data }); }, 3000).unref?.();
  });
}

async function health(localAddress) {
  for (let i = 0; i < 50; i++) {
    const r = await probe(localAddress);
    if (r.data.startsWith('HTTP/1.1 200')) return true;
    await new Promise((res) => setTimeout(res, 100)); // the server notices closed sockets asynchronously
  }
  return false;
}

test('connections are capped per client address; other clients are still served', async () => {
  const held = [];
  for (let i = 0; i < 10; i++) held.push(await slowClient('127.0.0.2'));
  const refused = await probe('127.0.0.2');
  assert.equal(refused.state, 'closed');
  assert.equal(refused.data, '', 'the 11th connection of one address is closed unanswered');
  assert.ok(await health('127.0.0.1'), 'another address gets /health');
  held.forEach((s) => s.destroy());
  assert.ok(await health('127.0.0.2'), 'the address is served again once its connections close');
});

test('connections are capped in total', async () => {
  const held = [];
  for (const a of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) for (let i = 0; i < 10; i++) held.push(await slowClient(a));
  const refused = await probe('127.0.0.6');
  assert.equal(refused.data, '', 'over the total cap a new connection is closed');
  held.forEach((s) => s.destroy());
  assert.ok(await health('127.0.0.6'));
});

test('a sign-in flood does not hold up other requests: /health answers while the hashes queue', async () => {
  let done = 0;
  const body = JSON.stringify({ username: 'admin', password: 'Wrong#password' });
  // 9 connections: under this server's cap of 10 per address, with one left for /health.
  const flood = Array.from({ length: 9 }, () =>
    httpRequest(server.url + '/api/v1/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
    }).then((r) => { done++; return r; }));
  await new Promise((res) => setTimeout(res, 50));
  const h = await httpRequest(server.url + '/api/v1/health');
  const doneAtHealth = done;
  assert.equal(h.status, 200);
  const all = await Promise.all(flood);
  assert.ok(all.every((r) => [401, 423].includes(r.status)), all.map((r) => r.status).join(','));
  // Each sign-in hashes for ~0.15 s on its own lane; /health does not wait for even the first of them.
  assert.equal(doneAtHealth, 0, `health answered only after ${doneAtHealth} sign-ins`);
});

test('a saturated lane answers 503 with Retry-After at once, while /health stays served', async () => {
  const tight = await startServer({
    demo: false,
    extraArgs: ['--auth-queue', '2', '--login-rate-client', '0', '--login-rate-user', '0'],
  });
  try {
    const body = JSON.stringify({ username: 'nobody', password: 'Wrong#password' });
    // 8 sign-ins at once (under the 10 connections per address): the hashing lane runs one and queues one.
    const all = Promise.all(Array.from({ length: 8 }, () =>
      httpRequest(tight.url + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })));
    const h = await httpRequest(tight.url + '/api/v1/health');
    assert.equal(h.status, 200);
    const rs = await all;
    const busy = rs.filter((r) => r.status === 503);
    assert.ok(busy.length >= 1, rs.map((r) => r.status).join(','));
    assert.equal(busy[0].body.error.code, 'busy');
    assert.equal(busy[0].headers['retry-after'], '1');
    assert.ok(rs.filter((r) => r.status === 401).length >= 2, 'the queued ones are answered');
    assert.ok(rs.every((r) => r.status === 401 || r.status === 503), rs.map((r) => r.status).join(','));
  } finally {
    await tight.stop();
  }
});
