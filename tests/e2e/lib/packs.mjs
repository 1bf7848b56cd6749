// Signed packs for the update tests, made with the real CLI (`jobguard pack sign`) and the committed development
// key, plus the broken variants a hostile server or network could serve.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './browser.mjs';

export const JOBGUARD = process.env.JOBGUARD_BIN ?? path.join(ROOT, 'target', 'release', 'jobguard');
export const DEV_SECRET = path.join(ROOT, 'keys', 'dev.secret');

/** A rule only the packs published by the tests have; `probe.html` carries its phrase. */
export const PROBE_RULE = 'e2e.probe.only_in_new_pack';
export const PROBE_PHRASE = 'kumquat visa lottery';

/** The bundled pack plus the probe rule (in a category of its own, so it alone reaches "danger"). */
export function packWithProbe(base) {
  const pack = structuredClone(base);
  pack.categories.e2e_probe = { cap: 100, name: { en: 'Test probe', ko: '시험용 규칙' } };
  pack.rules.push({
    id: PROBE_RULE,
    category: 'e2e_probe',
    weight: 100,
    langs: ['en'],
    phrases: [PROBE_PHRASE],
    explain: { en: 'Only the newer test pack knows this phrase.', ko: '새 시험용 규칙 묶음에만 있는 문구입니다.' },
  });
  return pack;
}

/**
 * Signs `pack` with the development key through the CLI. Options: version, created and expires (Unix seconds).
 * Returns the envelope as text.
 */
export function sign(pack, { version, created, expires } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobguard-pack-'));
  try {
    const input = path.join(dir, 'pack.json');
    const output = path.join(dir, 'signed.json');
    fs.writeFileSync(input, JSON.stringify(pack));
    const args = ['pack', 'sign', '--key', DEV_SECRET, input, '-o', output];
    if (version != null) args.push('--version', String(version));
    if (created != null) args.push('--created', String(created));
    if (expires != null) args.push('--expires', String(expires));
    execFileSync(JOBGUARD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return fs.readFileSync(output, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The envelope with its pack changed after signing (the probe rule's weight lowered), the header's digest and size
 * made to match, as a careful attacker would: only the signature can tell.
 */
export function tamper(envelopeText) {
  const env = JSON.parse(envelopeText);
  const pack = JSON.parse(env.pack);
  const rule = pack.rules.find((r) => r.id === PROBE_RULE) ?? pack.rules[0];
  rule.weight = 1;
  env.pack = JSON.stringify(pack);
  env.header.sha256 = createHash('sha256').update(env.pack).digest('hex');
  env.header.size = Buffer.byteLength(env.pack);
  return JSON.stringify(env);
}
