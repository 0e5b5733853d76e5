// A/B of fresh-profile Firefox starts on the header-less route (issue 15's first-run stall): the
// arms alternate (A B, B A, …) so that both meet the same machine load. Prints each start and the
// running tally of starts that reached done and of compute-worker restarts (a stall the watchdog
// rescued), with the step log of each stall.
//
//   node runs/firefox-stall/ab.mjs RUNS NAME=WWW NAME=WWW
import { firefoxStart, serve } from '../../tests/e2e/firefox-lib.mjs';

const runs = Number(process.argv[2] ?? 30);
const arms = process.argv.slice(3).map((a) => a.split('='));
if (!arms.length) throw new Error('usage: node runs/firefox-stall/ab.mjs RUNS NAME=WWW NAME=WWW');
const servers = [];
for (const [, www] of arms) servers.push(await serve(www, false));
const tally = arms.map(() => ({ done: 0, fail: 0, restarts: 0 }));
try {
  for (let k = 1; k <= runs; k++) {
    for (let a = 0; a < arms.length; a++) {
      const idx = k % 2 ? a : arms.length - 1 - a;
      const r = await firefoxStart({ url: servers[idx].url, timeout: 120000 });
      const t = tally[idx];
      if (r.state === 'done') t.done++;
      else t.fail++;
      t.restarts += r.workerRestarts ?? 0;
      console.log(`${k} ${arms[idx][0]}: ${r.state} ${r.seconds.toFixed(1)} s build ${r.build} threads ${r.threads} restarts ${r.workerRestarts}${r.workerStalls?.length ? ' stalls ' + JSON.stringify(r.workerStallLogs) : ''}`);
    }
    console.log('tally', JSON.stringify(arms.map((x, i) => [x[0], tally[i]])));
  }
} finally {
  servers.forEach((s) => s.stop());
}
