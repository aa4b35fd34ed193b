// The county administrator's 消息推送 page end to end: a WeCom group robot added (a plain-http address to the
// outside world is refused with the server's words), a test message sent and found 已送达 in its delivery log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { receiverConfig, startReceiver } from '../api/webhook_receiver.mjs';
import { DESKTOP, field, newPage, signIn, startStack } from './browser.mjs';

let stack, receiver;
before(async () => {
  receiver = await startReceiver();
  receiver.answer('ok');
  stack = await startStack({ extraArgs: ['--config', receiverConfig(), '--deliver-interval', '1'] });
});
after(async () => {
  await stack?.stop();
  await receiver?.close();
});

test('an administrator adds a WeCom robot, sends a test message and sees it delivered', async () => {
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  try {
    await signIn(page, 'admin');
    await page.getByTestId('nav-webhooks').click();
    await page.waitForURL('**/webhooks');
    await page.getByTestId('webhook-new').click();
    await field(page, 'webhook-name').fill('重点项目调度群');
    await page.getByTestId('webhook-form').getByText('企业微信群机器人').click();
    await field(page, 'webhook-url').fill('http://example.com/cgi-bin/webhook/send?key=k1');
    await page.getByTestId('webhook-save').click();
    await page.getByTestId('webhook-form').getByText('必须是 https 地址').waitFor();
    await field(page, 'webhook-url').fill(`${receiver.url}/wecom?key=k1`);
    await page.getByTestId('webhook-save').click();
    const card = page.locator('[data-testid^="webhook-"]', { hasText: '重点项目调度群' }).first();
    await card.waitFor();
    await card.getByText('企业微信').first().waitFor();
    await card.getByRole('button', { name: '发送测试消息' }).click();
    const until = Date.now() + 20_000;
    while (!receiver.posts.some((p) => p.url.startsWith('/wecom'))) {
      if (Date.now() > until) assert.fail('the test message never reached the receiver');
      await new Promise((r) => setTimeout(r, 200));
    }
    const post = receiver.posts.find((p) => p.url.startsWith('/wecom'));
    assert.equal(JSON.parse(post.body).msgtype, 'markdown');
    // The log says so (the delivery is recorded right after the post).
    for (;;) {
      await card.getByRole('button', { name: '推送记录' }).click();
      const delivered = page.locator('.el-drawer [data-testid^="delivery-"]', { hasText: '已送达' });
      if (await delivered.first().waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      if (Date.now() > until) assert.fail('the delivery log never showed 已送达');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
