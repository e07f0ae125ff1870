import { spawnSync } from 'node:child_process';

/**
 * The Python that has PyTorch. Debian's `python3-torch` installs into /usr/bin/python3, which a
 * pyenv or venv `python3` on PATH may shadow, so we try MIMO_TORCH_PYTHON, then /usr/bin/python3,
 * then `python3`. None with torch → an error saying how to install it (never a silent skip).
 */
export function findTorchPython(): string {
  const candidates = [process.env.MIMO_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  const tried: string[] = [];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return candidate;
    tried.push(`${candidate}: ${probe.error ? probe.error.message : (probe.stderr || '').trim().split('\n').pop()}`);
  }
  throw new Error(
    'the torch reference tests need PyTorch and NumPy for Python 3, and none was found ' +
      `(tried ${tried.join('; ')}). Install them with \`apt-get install -y python3-torch python3-numpy\` ` +
      '(Debian), or point MIMO_TORCH_PYTHON at a python that has torch.',
  );
}
