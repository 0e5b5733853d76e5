// Screenshots of the explorer for the README (docs/screenshots/), taken in headless chromium.
//   node tests/e2e/screenshots.mjs [--out docs/screenshots]
// default.png: the lecture default when done; pinch.png: the glass and the response arrows of a
// pinched pair; softspots.png: the Fig. 1 map and a quartic mode, the Fig. S3 scatter and c(r);
// compare.png: the paper's Fig. 1 from the shipped poorly and deeply annealed parent states; lecture.png: a step of the Lecture mode;
// lecture-step1.png … lecture-step5.png: each Lecture step in the presenter view at 1280×720 (the
// first ensemble), lecture-3d-step2.png the 3D ensemble's step 2; phone-lecture.png and
// phone-explore.png: the one-column layout at 390×844. `--only lecture` takes only the Lecture
// and phone shots (no Explore run). Not part of `test`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const i = process.argv.indexOf('--out');
const OUT = path.resolve(i > 0 ? process.argv[i + 1] : path.join(ROOT, 'docs', 'screenshots'));
mkdirSync(OUT, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pinchglass-shots-'));
const port = await new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const srv = spawn('python3', [path.join(ROOT, 'scripts/serve.py'), '--dir', path.join(ROOT, 'www'), '--port', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 700));
const ctx = await chromium.launchPersistentContext(tmp, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1200, height: 860 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const done = (page) => page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 120_000 });
const shot = async (target, name) => {
  const file = path.join(OUT, name);
  await target.screenshot({ path: file });
  console.log(`${file}: ${statSync(file).size} bytes`);
};
const onlyLecture = process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'lecture';
const ready = (p) => p.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 60_000 });
try {
  // each Lecture step at 1280×720 in the presenter view
  const presenter = await ctx.newPage();
  await presenter.setViewportSize({ width: 1280, height: 720 });
  await presenter.goto(`http://127.0.0.1:${port}/?mode=lecture&step=1&present=1`);
  await ready(presenter);
  for (let k = 1; k <= 5; k++) {
    await presenter.evaluate((s) => window.pinchglass.lecture.go(s), k);
    await presenter.waitForFunction((s) => document.body.dataset.lectureStep === String(s) && document.body.dataset.lecture === 'ready', k);
    await presenter.waitForTimeout(200);
    await shot(presenter, `lecture-step${k}.png`);
  }
  await presenter.goto(`http://127.0.0.1:${port}/?mode=lecture&step=2&data=3d&present=1`);
  await ready(presenter);
  await presenter.waitForTimeout(300);
  await shot(presenter, 'lecture-3d-step2.png');
  await presenter.close();
  // the phone layout
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`http://127.0.0.1:${port}/?mode=lecture&step=4`);
  await ready(phone);
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: path.join(OUT, 'phone-lecture.png'), fullPage: true });
  console.log(`${path.join(OUT, 'phone-lecture.png')}: ${statSync(path.join(OUT, 'phone-lecture.png')).size} bytes`);
  if (!onlyLecture) {
    await phone.goto(`http://127.0.0.1:${port}/`);
    await done(phone);
    await phone.screenshot({ path: path.join(OUT, 'phone-explore.png'), fullPage: false });
    console.log(`${path.join(OUT, 'phone-explore.png')}: ${statSync(path.join(OUT, 'phone-explore.png')).size} bytes`);
  }
  await phone.close();
  if (onlyLecture) throw new Error('--only lecture: done');
  const page = await ctx.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await done(page);
  await page.setViewportSize({ width: 1340, height: 700 });
  await shot(page, 'default.png');
  await page.setViewportSize({ width: 1200, height: 860 });
  // side-by-side figures (canvases copied: clones of canvases are blank)
  const pair = (ids) => page.evaluateHandle((list) => {
    const box = document.createElement('div');
    box.id = 'shot-pair';
    box.style.cssText = 'display:grid;grid-template-columns:repeat(2,max-content);gap:12px;background:#fff;padding:8px;width:max-content';
    const src = list.map((id) => document.getElementById(id));
    for (const c of src) box.append(c.closest('figure').cloneNode(true));
    document.body.prepend(box);
    [...box.querySelectorAll('canvas')].forEach((c, k) => c.getContext('2d').drawImage(src[k], 0, 0));
    box.querySelectorAll('button, select, .view-tools').forEach((b) => b.remove());
    box.querySelectorAll('[id]').forEach((e) => e.removeAttribute('id'));
    return box;
  }, ids);
  let box = await pair(['canvas-glass', 'canvas-field']);
  await shot(box.asElement(), 'pinch.png');
  await page.evaluate(() => document.getElementById('shot-pair').remove());
  await page.selectOption('#map-threshold', '1');
  await page.evaluate(() => window.pinchglass.selectMode(0, false));
  box = await pair(['canvas-map', 'canvas-mode', 'canvas-participation', 'canvas-decay']);
  await shot(box.asElement(), 'softspots.png');
  await page.evaluate(() => document.getElementById('shot-pair').remove());
  await page.selectOption('#map-threshold', '0.3333333333333333');
  await page.selectOption('#preset', 'compare');
  await page.waitForFunction(() => document.body.dataset.state === 'running');
  // the paper's Fig. 1 from the shipped N = 2000 parent states: minutes on a busy machine
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 900_000 });
  await page.evaluate(() => document.querySelectorAll('#compare button.png').forEach((b) => { b.style.display = 'none'; }));
  await shot(await page.$('#compare'), 'compare.png');
  const lecture = await ctx.newPage();
  await lecture.setViewportSize({ width: 1340, height: 900 });
  await lecture.goto(`http://127.0.0.1:${port}/?mode=lecture&step=4`);
  await lecture.waitForTimeout(2500);
  await shot(lecture, 'lecture.png');
} catch (e) {
  if (!/--only lecture: done/.test(e.message)) throw e;
} finally {
  await ctx.close();
  srv.kill();
  rmSync(tmp, { recursive: true, force: true });
}
