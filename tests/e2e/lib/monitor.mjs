// Starts and stops the real monitoring service (target/release/jobguard-monitor) on 127.0.0.1 with a SQLite file,
// and creates a reviewer account with its own subcommand.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './browser.mjs';

export const MONITOR = process.env.JOBGUARD_MONITOR_BIN ?? path.join(ROOT, 'target', 'release', 'jobguard-monitor');

export function monitorBuilt() {
  return existsSync(MONITOR);
}

/**
 * Starts the service; resolves once it prints its address (first stdout line: `listening on http://ADDR`).
 * @returns {Promise<{url: string, listen: string, logs: () => string, stop: () => Promise<void>}>}
 */
export function startMonitor({ database, listen = '127.0.0.1:0', args = [] }) {
  const proc = spawn(MONITOR, ['--listen', listen, '--database', database, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`jobguard-monitor did not start in 20 s: ${err}`));
    }, 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/([0-9.]+:\d+))/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], listen: m[2], logs: () => err, stop });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`jobguard-monitor exited (${code ?? signal}) before listening: ${err}`));
    });
  });
}

/** Creates a reviewer account in `database`. */
export function addReviewer(database, name, password) {
  execFileSync(MONITOR, ['--database', database, 'add-reviewer', name], {
    env: { ...process.env, JOBGUARD_REVIEWER_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Signs `page` into the dashboard at `url` with the reviewer's name and password, through the real form. */
export async function signIn(page, url, name, password) {
  await page.goto(`${url}/dashboard/login`);
  // Sessions live in the database: after a restart a signed-in reviewer is sent on to the dashboard.
  if (new URL(page.url()).pathname === '/dashboard') return;
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(/\/dashboard(\?.*)?$/), page.press('input[name="password"]', 'Enter')]);
}
