// By-hand stress test of the first run in Firefox (issue 15, item 2): starts the page N times in a
// row, each time in a fresh Firefox profile (Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi), and counts the starts that reach data-state=done. Route "service-worker" (the
// default) serves www/ without COOP/COEP headers, as GitHub Pages does, so every start installs
// coi-serviceworker and reloads once; "headers" serves them.
//
//   node scripts/firefox-starts.mjs [--runs 30] [--route service-worker|headers] [--timeout 120]
//                                   [--firefox /usr/bin/firefox-esr] [--www www] [--url '?…']
//
// Prints one line per start (outcome, seconds to done, build and threads, the stage where a stall
// stopped) and a closing "N passed, M failed". Not part of CI (./build.sh test runs 10 starts).

import { firefoxStart, serve } from '../tests/e2e/firefox-lib.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && process.argv[k + 1] ? process.argv[k + 1] : fallback;
};
const runs = Number(arg('runs', 30));
const route = arg('route', 'service-worker');
const timeout = Number(arg('timeout', 120)) * 1000;
const firefox = arg('firefox', '/usr/bin/firefox-esr');
const www = path.resolve(arg('www', path.join(ROOT, 'www')));
const extra = arg('url', '');

const server = await serve(www, route === 'headers');
let passed = 0;
let failed = 0;
const seconds = [];
try {
  for (let k = 1; k <= runs; k++) {
    const r = await firefoxStart({ firefox, url: server.url + extra, timeout });
    if (r.state === 'done') {
      passed += 1;
      seconds.push(r.seconds);
    } else failed += 1;
    console.log(`start ${String(k).padStart(2)}: ${r.state === 'done' ? 'done ' : 'STALL'} ${r.seconds.toFixed(1)} s, ` +
      `build ${r.build}, ${r.threads} threads, isolated ${r.isolated}, worker starts ${r.workerStarts}, restarts ${r.workerRestarts}, page before reload ${JSON.stringify(r.unloadedPage)}${r.workerStalls?.length ? ` (stalled at: ${r.workerStalls.join(', ')})${process.env.STALL_LOG ? ` log: ${JSON.stringify(r.workerStallLogs)}` : ''}` : ''}` +
      (r.state === 'done' ? '' : `; state ${r.state}, stage "${r.stage}", note "${r.note}", error "${r.error}"`));
  }
} finally {
  server.stop();
}
seconds.sort((a, b) => a - b);
if (seconds.length) console.log(`seconds to done: median ${seconds[Math.floor(seconds.length / 2)].toFixed(1)}, max ${seconds[seconds.length - 1].toFixed(1)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
