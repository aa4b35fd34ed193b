// A local stand-in for DingTalk's and WeCom's group robots, for the webhook tests: it records every post and
// answers as told (one answer per request, then the last one again): 'ok' ({"errcode":0}), a status number,
// 'errcode' (200 with {"errcode":310000}), 'hang' (never answers), 'huge' (1 MiB body).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export async function startReceiver() {
  const posts = [];
  let script = ['ok'];
  const hanging = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const mode = script.length > 1 ? script.shift() : script[0];
      posts.push({ url: req.url, headers: req.headers, body, mode });
      if (mode === 'hang') { hanging.add(res); return; }
      if (mode === 'huge') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`{"errcode":0,"pad":"${'x'.repeat(1024 * 1024)}"}`);
        return;
      }
      if (mode === 'errcode') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"errcode":310000,"errmsg":"sign not match"}');
        return;
      }
      if (typeof mode === 'number') { res.writeHead(mode); res.end('{"errcode":-1}'); return; }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    posts,
    answer(...modes) { script = modes; },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

// A config file that lets webhooks reach the receiver over http on 127.0.0.1, with a short post timeout.
export function receiverConfig(timeoutMs = 1500) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-hooks-')), 'steward.toml');
  fs.writeFileSync(file, `[webhooks]\nallow_http_hosts = ["127.0.0.1"]\ntimeout_ms = ${timeoutMs}\n`);
  return file;
}

// DingTalk's check of a signed URL: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
export function dingtalkSignatureValid(url, secret) {
  const q = new URL(url, 'http://x').searchParams;
  const ts = q.get('timestamp');
  const expected = crypto.createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
  return { ok: q.get('sign') === expected, timestamp: Number(ts) };
}

// Polls `probe` (async) until `done(result)` holds; the job runs every second, so this waits for an event.
export async function until(probe, done, what, limitMs = 20_000) {
  const end = Date.now() + limitMs;
  let last;
  while (Date.now() < end) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last?.body ?? last)}`);
}
