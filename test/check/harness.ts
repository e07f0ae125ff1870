/**
 * Test harness for the checker and resolver: run the whole front end on in-memory files or on a
 * fixture, and compare diagnostics as `CODE LINE:COL MESSAGE` lines. A fixture states what it
 * expects in comments: `# expect: MIMO3011 7:5 decoder: 30 heads do not divide the width 4096`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, type PipelineOptions, type PipelineResult } from '../../compiler/pipeline.js';
import type { Diagnostic } from '../../compiler/diagnostics/types.js';
import type { SourceHost } from '../../compiler/resolve/index.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A file system of the given files under `/project` (directories implied by paths). */
export function memoryHost(files: Readonly<Record<string, string>>): SourceHost {
  const contents = new Map(Object.entries(files).map(([path, text]) => [posix.join('/project', path), text]));
  const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  const isDir = (path: string) => path === '/project' || [...contents.keys()].some((p) => p.startsWith(path.endsWith('/') ? path : path + '/'));
  return {
    realpath: async (path) => {
      const normal = posix.normalize(path);
      if (contents.has(normal) || isDir(normal)) return normal;
      throw missing(path);
    },
    isDirectory: async (path) => {
      const normal = posix.normalize(path);
      if (isDir(normal)) return true;
      if (contents.has(normal)) return false;
      throw missing(path);
    },
    readFile: async (path) => {
      const text = contents.get(posix.normalize(path));
      if (text === undefined) throw missing(path);
      return new TextEncoder().encode(text);
    },
  };
}

/** Runs the pipeline on in-memory files; the first file (or `entries`) is what the user names. */
export async function run(
  files: Readonly<Record<string, string>>,
  options: Omit<PipelineOptions, 'host' | 'root' | 'cwd'> & { entries?: readonly string[] } = {},
): Promise<PipelineResult> {
  const entries = options.entries ?? [Object.keys(files)[0]];
  return runPipeline(entries, { ...options, host: memoryHost(files), root: '/project', cwd: '/project' });
}

/** Runs one spec text (as `spec.mimo`). */
export function runSpec(text: string, options: Omit<PipelineOptions, 'host' | 'root' | 'cwd'> = {}): Promise<PipelineResult> {
  return run({ 'spec.mimo': text }, options);
}

export function line(d: Diagnostic): string {
  return `${d.code} ${d.span === undefined ? '-' : `${d.span.line}:${d.span.column}`} ${d.message}`;
}

/** Diagnostics other than notes, as lines. */
export function problems(result: PipelineResult): string[] {
  return result.diagnostics.filter((d) => d.severity !== 'note').map(line);
}

/** The `# expect: ...` lines of a fixture, in order. */
export function expectations(text: string): string[] {
  return [...text.matchAll(/^\s*# expect: (.*)$/gm)].map((m) => m[1].trim());
}

/** Runs a fixture from test/fixtures/<dir>/<name> and returns its expected and actual problems. */
export async function runFixture(dir: string, name: string, options: Omit<PipelineOptions, 'host' | 'root' | 'cwd'> = {}): Promise<{ expected: string[]; actual: string[]; result: PipelineResult }> {
  const text = readFileSync(join(fixturesDir, dir, name), 'utf8');
  const result = await runPipeline([name], { ...options, root: join(fixturesDir, dir), cwd: join(fixturesDir, dir) });
  return { expected: expectations(text), actual: problems(result), result };
}

/** A minimal valid model for building test cases: one video sense on a small llama decoder. */
export function baseSpec(overrides: { decoder?: string; vision?: string; extra?: string; model?: string } = {}): string {
  return `model m {
  decoder llama {
${overrides.decoder ?? '    layers 2 hidden 64 heads 4 kv_heads 4 ffn 128 vocab 1000 context 512'}
  }
  sense vision {
${overrides.vision ?? '    input video(frames: 2, size: 32)\n    encoder clip_vit(layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 8, image_size: 32)\n    projector mlp(depth: 2, act: gelu)\n    token "<video>"'}
  }
${overrides.model ?? ''}
}
${overrides.extra ?? ''}
`;
}
