// Creating a project through the form: client-side checks, server field errors, money by string arithmetic.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiClient, field, newPage, signIn, startStack } from './browser.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const input = field;
const formItem = (page, testid) => page.locator('.el-form-item', { has: page.getByTestId(testid) });

test('create a project through the form and see it on its detail page', async () => {
  const page = await newPage(stack.browser, stack.server.url);
  const name = `端到端测试新材料产业园项目${Date.now()}`;
  try {
    await signIn(page, 'hq');
    await page.goto('/projects');
    await page.getByTestId('project-new').click();
    await page.waitForURL('**/projects/new');

    // Client-side validation: the name is required, the project code has a pattern.
    await input(page, 'project-code').fill('2026-12');
    await page.getByTestId('project-submit').click();
    await formItem(page, 'project-name').locator('.el-form-item__error').filter({ hasText: '请输入项目名称' }).waitFor();
    await formItem(page, 'project-code').locator('.el-form-item__error').filter({ hasText: '格式应为' }).waitFor();
    assert.match(page.url(), /\/projects\/new$/);

    await input(page, 'project-name').fill(name);
    await input(page, 'project-code').fill('');
    await input(page, 'project-total-investment').fill('12345.6789');
    await input(page, 'project-funding-self_raised').fill('10000.5');
    await input(page, 'project-address').fill('衡东县经济开发区创业大道');

    // A field only the server can judge: an actual start in the future comes back as a field error.
    const actual = input(page, 'project-actual-start');
    await actual.fill('2099-01-01');
    await actual.press('Enter');
    await page.getByTestId('project-submit').click();
    await formItem(page, 'project-actual-start').locator('.el-form-item__error').filter({ hasText: '不能晚于今天' }).waitFor();
    assert.match(page.url(), /\/projects\/new$/);

    await actual.fill('');
    await actual.press('Enter');
    await page.getByTestId('project-submit').click();
    await page.waitForURL(/\/projects\/\d+$/);

    assert.equal((await page.getByTestId('detail-name').textContent()).trim(), name);
    assert.match(await page.getByTestId('detail-total-investment').textContent(), /12,345\.68 万元/);

    // Stored as integer yuan: 12345.6789 万元 = 123456789 元, 10000.5 万元 = 100005000 元.
    const id = new URL(page.url()).pathname.split('/').pop();
    const api = await apiClient(stack.server.url, 'hq');
    const p = await api.get(`/projects/${id}`);
    assert.equal(p.status, 200);
    assert.equal(p.body.name, name);
    assert.equal(p.body.total_investment, 123456789);
    assert.equal(p.body.funding.self_raised, 100005000);
    assert.equal(p.body.actual_start, null);

    // It is in the list too.
    await page.goto(`/projects?q=${encodeURIComponent(name)}`);
    await page.getByTestId('project-table').getByText(name).waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the detail page shows the five-ones checklist and history of a new project', async () => {
  const api = await apiClient(stack.server.url, 'hq');
  const created = await api.post('/projects', { name: `五个一检查项目${Date.now()}`, category: 'industrial', total_investment: 500000000 });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await signIn(page, 'hq');
    await page.goto(`/projects/${created.body.id}?tab=team`);
    const five = page.getByTestId('five-ones');
    await five.waitFor();
    // Nothing assigned yet: the leader and the team are missing and shown as such.
    assert.match(await page.getByTestId('five-leader').getAttribute('class'), /miss/);
    assert.match(await page.getByTestId('five-team').getAttribute('class'), /miss/);
    await page.getByRole('tab', { name: '历史' }).click();
    await page.getByTestId('history').getByText('新建').first().waitFor();
  } finally {
    await page.context().close();
  }
});
