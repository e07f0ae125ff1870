/**
 * Runs the Python reference scripts of test/reference/io. The references need Debian's
 * python3-torch, python3-numpy and python3-torchaudio; when no interpreter has them this
 * throws (tests fail loudly, they do not skip). MIMO_PYTHON, when set, is the only interpreter tried.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REFERENCE_DIR = resolve(here, '../../reference/io');

let found: string | undefined;

/** The first interpreter that imports torch, torchaudio and numpy. */
export function referencePython(): string {
  if (found !== undefined) return found;
  // An explicit MIMO_PYTHON is the only candidate; otherwise Debian's interpreter, then PATH's.
  const candidates = process.env.MIMO_PYTHON ? [process.env.MIMO_PYTHON] : ['/usr/bin/python3', 'python3'];
  const tried: string[] = [];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import torch, torchaudio, numpy'], { encoding: 'utf8' });
    if (probe.status === 0) {
      found = candidate;
      return candidate;
    }
    tried.push(`${candidate}: ${(probe.stderr || String(probe.error ?? 'failed')).trim().split('\n').pop()}`);
  }
  throw new Error(
    'The media and precision references need PyTorch, torchaudio and numpy; none of the interpreters has them:\n  ' +
      tried.join('\n  ') +
      '\nInstall them with: apt-get install -y python3-torch python3-torchaudio python3-numpy (or set MIMO_PYTHON).',
  );
}

/** Runs `script` with a JSON request on stdin and returns its parsed JSON stdout. */
export function runReference(script: string, request: unknown): unknown {
  const python = referencePython();
  const result = spawnSync(python, [join(REFERENCE_DIR, script)], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    cwd: REFERENCE_DIR,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${script} failed (${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as unknown;
}

/** A temporary directory removed by the returned function. */
export function scratchDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'mimo-io-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
