import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { planGraph } from '../../compiler/plan/index.js';
import type { PlanBindings } from '../../compiler/plan/types.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { graphOf, gpt2Whisper } from '../plan/models.js';
it('dump', () => {
  const m = { ...gpt2Whisper(), dtype: 'float32' as const };
  const seq = m.sequenceLength;
  const bindings: PlanBindings = { batch: 2, text: m.textTokens, seq, past: 0, queries: seq };
  const { plan } = planGraph(graphOf(m), bindings, {});
  const prog = lowerPlanToWebGpu(plan);
  prog.shaders.forEach((s, i) => writeFileSync(`/tmp/mimo-scratch/w${i}.wgsl`, s));
});
