// Writes src/core/data/cn_calendar.tsv, China's national working-day calendar (法定节假日 and 调休上班), from the
// npm package chinese-days (pinned in package.json): every year the package covers. Run `make calendar` (npm ci
// here, then this script).
//
// Decisions about the source:
// - A holiday is every day of the package's `holidays` map: the whole block off work, weekends inside it included
//   (2026-02-15 … 2026-02-23 春节). A workday is a day of its `workdays` map: a weekend day worked in exchange.
// - The name written is the Chinese one (the second comma-separated field: "Spring Festival,春节,4" → 春节).
// - The years covered are the years that carry at least one holiday; outside them only weekends rest.
// - A day both a holiday and a workday, or a name with a tab, stops the script.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = process.env.CHINESE_DAYS_DIR || dirname(require.resolve('chinese-days/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const data = JSON.parse(readFileSync(join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));

const nameOf = (value, day) => {
  const parts = String(value).split(',');
  const name = (parts[1] || parts[0] || '').trim();
  if (!name || /[\t\r\n#]/.test(name)) throw new Error(`unusable name ${JSON.stringify(value)} on ${day}`);
  return name;
};
const rows = [];
for (const [kind, map] of [['holiday', data.holidays], ['workday', data.workdays]]) {
  for (const [day, value] of Object.entries(map)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`bad day ${day}`);
    rows.push([day, kind, nameOf(value, day)]);
  }
}
const holidayDays = new Set(Object.keys(data.holidays));
for (const day of Object.keys(data.workdays)) {
  if (holidayDays.has(day)) throw new Error(`${day} is both a holiday and a workday`);
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const years = [...new Set(Object.keys(data.holidays).map((d) => d.slice(0, 4)))].sort();
const count = (kind) => rows.filter((r) => r[1] === kind).length;

const header = [
  '# 全国法定节假日与调休上班日 (national holidays and swapped working days). Generated: do not edit.',
  `# Source: npm ${pkg.name} ${pkg.version} (${pkg.license}; 国务院办公厅 节假日安排), https://github.com/vsme/chinese-days`,
  '# Generator: tools/calendar/gen-calendar.mjs (`make calendar`); its header says how the source is read.',
  `# Years covered: ${years[0]}–${years[years.length - 1]} (${years.length} years); ${count('holiday')} holidays, ${count('workday')} workdays.`,
  '# A year imported later (`steward calendar import`, PUT /api/v1/calendar/{year}) overrides that year here.',
  '# Fields: day (YYYY-MM-DD), kind (holiday|workday), name.',
];
const out = header.join('\n') + '\n' + rows.map((r) => r.join('\t')).join('\n') + '\n';
const target = join(here, '..', '..', 'src', 'core', 'data', 'cn_calendar.tsv');
writeFileSync(target, out);
console.log(`wrote ${target}: years ${years[0]}–${years[years.length - 1]}, ${rows.length} days`);
