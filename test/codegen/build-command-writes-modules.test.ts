/**
 * `mimo build`: writes one module per model plus support.ts and index.ts, reports what it wrote,
 * picks one model with --model (suggesting close names for unknown ones, exit 2), applies --set,
 * reports a model the runtime cannot run (MIMO4020, exit 1), and can type-check before writing.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo } from '../cli/run-mimo.js';
import { ROOT } from './helpers.js';

const tmp = join(ROOT, '.tmp', `build-${process.pid}`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mimo build', () => {
  it('writes every model and variant of a spec', async () => {
    const out = join(tmp, 'all');
    const run = await runMimo(['build', 'specs/whisper_audio_lm.mimo', '-o', out], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*whisper_audio_lm\.ts: WhisperAudioLm \(whisper_audio_lm, 6,\d{3},\d{3},\d{3} parameters, \d+ IR ops\)$/m);
    expect(run.stdout).toMatch(/whisper_audio_lm_small_encoder\.ts: WhisperAudioLmSmallEncoder \(whisper_audio_lm\/small_encoder/);
    const module = readFileSync(join(out, 'whisper_audio_lm.ts'), 'utf8');
    expect(module).toContain("readonly audio: Tensor<['batch', 80, 3000]>;");
    expect(module).toContain("encodeAudio(media: Tensor<['batch', 80, 3000]>, dims: Dims = new Map()): Tensor<['batch', 1500, 4096]>");
    expect(module).toContain("{ name: 'audio_tower.layers.5.self_attn.k_proj.weight', shape: [512, 512], init: 'normal', std: 0.02, used: true, frozen: true },");
    expect(readFileSync(join(out, 'index.ts'), 'utf8')).toContain("export { WhisperAudioLm, type WhisperAudioLmInputs, type WhisperAudioLmOutputs } from './whisper_audio_lm.js';");
    expect(existsSync(join(out, 'support.ts'))).toBe(true);
  }, 120_000);

  it('--model picks one model; --set overrides apply', async () => {
    const out = join(tmp, 'one');
    const run = await runMimo(['build', 'specs/llava_avlm.mimo', '--model', 'llava_avlm/tiny', '--set', 'decoder.layers=3', '-o', out], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('llava_avlm_tiny.ts: LlavaAvlmTiny (llava_avlm/tiny');
    expect(existsSync(join(out, 'llava_avlm.ts'))).toBe(false);
    const module = readFileSync(join(out, 'llava_avlm_tiny.ts'), 'utf8');
    expect(module).toContain("language_model.model.layers.2.mlp.down_proj.weight");
    expect(module).not.toContain("language_model.model.layers.3.");
  }, 120_000);

  it('an unknown --model is a usage error with a suggestion', async () => {
    const run = await runMimo(['build', 'specs/llava_avlm.mimo', '--model', 'llava_avlm/tiyn', '-o', join(tmp, 'x')], { cwd: ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MIMO0020');
    expect(run.stderr).toContain('did you mean `llava_avlm/tiny`?');
  });

  it('a model the runtime cannot run is reported (MIMO4020) and not written', async () => {
    const out = join(tmp, 'unsupported');
    const run = await runMimo(['build', 'specs/tiny_gpt2.mimo', '--set', 'decoder.norm=rmsnorm(eps: 1e-5)', '-o', out], { cwd: ROOT });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MIMO4020');
    expect(run.stderr).toContain('GPT-2 block with RMSNorm');
    expect(existsSync(join(out, 'tiny_gpt2.ts'))).toBe(false);
  }, 120_000);

  it('--typecheck runs tsc --strict on the result before writing', async () => {
    const run = await runMimo(['build', 'specs/tiny_gpt2.mimo', '--typecheck', '-o', join(tmp, 'checked')], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('type-checked 3 files with --strict: no errors');
  }, 300_000);
});
