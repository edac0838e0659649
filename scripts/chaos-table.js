// Prints the rows the fault scenarios wrote (one JSON object per line, test/support/chaos-report.ts) as one table.
'use strict';
const fs = require('node:fs');

const rows = fs
  .readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const columns = [
  ['scenario', (r) => r.scenario],
  ['load', (r) => r.load],
  ['faults injected', (r) => r.faults],
  ['acknowledged', (r) => String(r.acknowledged)],
  ['lost', (r) => String(r.lost)],
  ['orphans', (r) => (r.orphans === null ? 'n/a' : String(r.orphans))],
  ['5xx', (r) => String(r.fiveXx)],
  ['time to recover', (r) => `${r.recoverSeconds.toFixed(1)} s`],
];
const cells = rows.map((r) => columns.map(([, value]) => value(r)));
const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
console.log(line(columns.map(([title]) => title)));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const c of cells) console.log(line(c));
for (const r of rows.filter((r) => r.notes)) console.log(`- ${r.scenario}: ${r.notes}`);
console.log('5xx: answers 5xx other than 503 with Retry-After (the promised answer while a dependency is down), and requests never answered.');
if (rows.length === 0) console.log('(no scenario reported figures: see the test output above)');
