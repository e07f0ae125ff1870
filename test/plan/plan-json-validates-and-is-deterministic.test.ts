/**
 * plan.json: the published schema file is the schema the code validates with, every emitted plan
 * validates, the same input gives the same bytes, and reading a broken plan gives a diagnostic
 * that points at the offending line, never an exception.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import { locatePointer, parsePlan, serializePlan } from '../../compiler/plan/planJson.js';
import { planSchemaText } from '../../compiler/plan/schema.js';
import { bindingsOf, graphOf, gpt2Whisper, llamaOnly, tinyAvlm } from './models.js';

describe('plan.json', () => {
  it('publishes exactly the schema the code validates with (compiler/plan/plan.schema.json)', () => {
    expect(readFileSync(new URL('../../compiler/plan/plan.schema.json', import.meta.url), 'utf8')).toBe(planSchemaText());
  });

  it('validates and round-trips every family plan, prefill and decode', () => {
    for (const make of [tinyAvlm, gpt2Whisper, () => llamaOnly(2)]) {
      const m = make();
      for (const mode of ['prefill', 'decode'] as const) {
        const { plan } = planGraph(graphOf(m), bindingsOf(m, mode), { mode });
        const text = serializePlan(plan);
        const back = parsePlan(text, 'plan.json');
        expect(back.diagnostic).toBeUndefined();
        expect(serializePlan(back.plan!)).toBe(text);
      }
    }
  });

  it('writes the same bytes for the same model', () => {
    const a = serializePlan(planGraph(graphOf(tinyAvlm()), bindingsOf(tinyAvlm())).plan);
    const b = serializePlan(planGraph(graphOf(tinyAvlm()), bindingsOf(tinyAvlm())).plan);
    expect(a).toBe(b);
  });

  it('rejects a kernel parameter of the wrong type with its location', () => {
    const text = serializePlan(planGraph(graphOf(llamaOnly()), bindingsOf(llamaOnly())).plan);
    const broken = text.replace('"blockSize": 64', '"blockSize": "big"');
    const { diagnostic } = parsePlan(broken, 'plan.json');
    expect(diagnostic?.code).toBe('MIMO4102');
    expect(diagnostic?.message).toMatch(/\/kernels\/\d+\/params\/blockSize` must be integer/);
    expect(broken.split('\n')[(diagnostic?.span?.line ?? 0) - 1]).toContain('"blockSize": "big"');
    expect(diagnostic?.help).toBeDefined();
  });

  it('rejects an operand that reaches past its buffer, another version, and text that is not JSON', () => {
    const plan = planGraph(graphOf(llamaOnly()), bindingsOf(llamaOnly())).plan;
    const k = plan.kernels[0];
    const bad = { ...plan, kernels: [{ ...k, inputs: [{ ...k.inputs[0], view: { ...k.inputs[0].view, offset: 1e6 } }, ...k.inputs.slice(1)] }, ...plan.kernels.slice(1)] };
    expect(parsePlan(JSON.stringify(bad, null, 2), 'p.json').diagnostic?.message).toMatch(/reaches past the end of buffer/);
    expect(parsePlan(JSON.stringify({ ...plan, version: 2 }), 'p.json').diagnostic?.code).toBe('MIMO4103');
    expect(parsePlan('{"format": "mimo-plan", ', 'p.json').diagnostic?.code).toBe('MIMO4104');
    expect(parsePlan('[]', 'p.json').diagnostic?.code).toBe('MIMO4102');
  });

  it('locates JSON pointers in text', () => {
    const text = '{\n  "a": [1, {"b": "x"}],\n  "c": 2\n}';
    expect(text.slice(locatePointer(text, '/a/1/b'))).toMatch(/^"x"/);
    expect(text.slice(locatePointer(text, '/c'))).toMatch(/^2/);
    expect(locatePointer(text, '/d')).toBeUndefined();
  });
});
