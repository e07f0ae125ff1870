import { test } from 'vitest';
import { buildGraph } from '../../compiler/ir/index.js';
import { lowerGraph } from '../../compiler/plan/lower.js';
import { FUSION_PASSES } from '../../compiler/plan/fusion/index.js';
import { emitPlan, unfusedTotals } from '../../compiler/plan/emit.js';
import { DEVICES } from '../../compiler/plan/devices.js';
import { seedAvlm } from '../ir/models.js';
test('scratch', () => {
  const m = seedAvlm();
  let t = performance.now();
  const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
  const { graph } = buildGraph(m); lap('build');
  const low = lowerGraph(graph!, { mode: 'prefill', batch: 1, seq: m.sequenceLength }); lap('lower');
  const un = unfusedTotals(low.graph, low.ops, DEVICES.h100); lap('unfused');
  low.graph.normalize(); lap('normalize');
  for (const p of FUSION_PASSES) { p.run(low.graph, { mode: 'prefill', attentionBlockSize: 64 }); lap(p.name); low.graph.normalize(); lap('  norm'); }
  emitPlan({ graph: low.graph, model: 'x', mode: 'prefill', dtype: 'bfloat16', bindings: { batch: 1, text: 512, seq: m.sequenceLength, past: 0, queries: 1 }, device: DEVICES.h100, passes: [], unfused: un }); lap('emit');
}, 600000);
