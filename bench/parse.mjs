#!/usr/bin/env node
/**
 * Parse throughput of the grammar stage on a large generated spec.
 * Build first (`npm run build`, or `npx tsc -p tsconfig.json`), then: node bench/parse.mjs [MB] [runs]
 * Prints the median over the runs (after one warm-up), wall-clock and CPU time, of: decode + parse
 * of bytes (parseFile), parse of text (parseSource), and formatting the parsed file (formatSourceFile).
 */
import { formatSourceFile, parseFile, parseSource } from '../dist/grammar/index.js';

const megabytes = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 5);

/** One copy of a realistic spec (the seed's shape: a model, a variant, a sweep, asserts, comments). */
function spec(i) {
  return `# copy ${i}: an audio-visual language model
model avlm_${i} {
  decoder llama("vicuna-7b-v1.5") {
    layers 32
    hidden 4096
    heads 32
    kv_heads 32
    ffn 11_008
    vocab 32000
    context 4096
    norm rmsnorm(eps: 1e-5)
    mlp swiglu
    position rope(theta: 10000)
  }

  sense vision {
    input video(frames: 8, size: 224)
    encoder clip_vit("ViT-L/14", select_layer: -2, drop_cls: true, frozen: true)
    projector mlp(depth: 2, act: gelu) # 1024 -> 4096 -> 4096
    token "<video>"
  }

  sense audio {
    input audio(seconds: 20.5, sample_rate: 16000)
    encoder beats("iter3", frozen: true)
    projector mlp(depth: 2, act: gelu)
    token "<audio>"
  }

  text_tokens 512
  dtype bfloat16
}

variant small_${i} of avlm_${i} {
  decoder.layers = 12
  decoder.hidden = 2048
}

grid frames_${i} of avlm_${i} {
  vision.input.frames in [2, 4, 8]
  exclude { vision.input.frames = 2, text_tokens = 1024 }
}

assert avlm_${i}.tokens.audio == 1024 "1024 audio tokens"
assert avlm_${i}.params < 8e9 + 2 * (1024 - 512) "fits the 7B class"
`;
}

function largeSpec(bytes) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = spec(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall-clock and CPU milliseconds (CPU time tells more on a machine shared with other work). */
function measure(run) {
  run(); // warm-up: builds the parser once and lets the JIT settle
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const text = largeSpec(megabytes * 1_000_000);
const bytes = new TextEncoder().encode(text);
const size = bytes.length / 1_000_000;
const parsed = parseSource(text, 'bench.mimo');
if (parsed.diagnostics.length > 0) {
  console.error(`the generated spec has ${parsed.diagnostics.length} diagnostics; the benchmark is broken`);
  process.exit(1);
}

// The peer, in the same process: V8's native JSON.parse on a document of the same size (the
// spec's text as a JSON array of its lines), a speed-of-light reference for a text-to-tree parser.
const json = JSON.stringify(text.split('\n'));
const jsonSize = new TextEncoder().encode(json).length / 1_000_000;

const rows = [
  ['parseFile (decode + parse)', measure(() => parseFile(bytes, 'bench.mimo')), size],
  ['parseSource (parse)', measure(() => parseSource(text, 'bench.mimo')), size],
  ['formatSourceFile', measure(() => formatSourceFile(parsed.file)), size],
  ['peer: JSON.parse (same text as a JSON array of lines)', measure(() => JSON.parse(json)), jsonSize],
];

console.log(`input: ${size.toFixed(2)} MB, ${parsed.file.declarations.length} declarations, ${text.split('\n').length} lines; median of ${runs} runs; Node ${process.version}`);
console.log('| step | wall ms | MB/s (wall) | CPU ms | MB/s (CPU) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, { wall, cpu }, mb] of rows) {
  console.log(`| ${name} | ${wall.toFixed(0)} | ${(mb / (wall / 1000)).toFixed(2)} | ${cpu.toFixed(0)} | ${(mb / (cpu / 1000)).toFixed(2)} |`);
}
const peer = rows[rows.length - 1];
console.log(`parseSource / JSON.parse throughput (CPU): ${((size / rows[1][1].cpu) / (peer[2] / peer[1].cpu)).toFixed(3)}`);
