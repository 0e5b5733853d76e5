// The page's static server for the end-to-end tests (Chromium and Firefox): scripts/serve.py on a
// free local port, with or without the COOP/COEP headers.

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Serves the folder `www` once scripts/serve.py says so; `isolation` false drops the COOP/COEP headers
// (a static host like GitHub Pages). Returns the URL and `stop`.
export async function serve(www, isolation) {
  const port = await freePort();
  const argv = [path.join(ROOT, 'scripts', 'serve.py'), '--dir', www, '--host', '127.0.0.1', '--port', String(port)];
  if (!isolation) argv.push('--no-isolation');
  const proc = spawn('python3', argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('serve.py did not start')), 10_000);
    proc.stdout.on('data', (b) => {
      if (String(b).includes('Serving')) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => proc.kill('SIGTERM') };
}
