import { test } from 'vitest';
import { buildGraph, printGraph } from '../../compiler/ir/index.js';
import { familyModels } from '../ir/models.js';
test('scratch', () => {
  for (const [name, f] of familyModels) {
    const { graph, diagnostics } = buildGraph(f());
    if (!graph) { console.log(name, diagnostics); continue; }
    const counts: Record<string, number> = {};
    for (const n of graph.nodes) counts[n.op] = (counts[n.op] ?? 0) + 1;
    console.log(name, graph.nodes.length, JSON.stringify(counts));
  }
  const { graph } = buildGraph(familyModels[0][1]());
  console.log(printGraph(graph!).split('\n').filter(l => l.includes('layers.0') && l.includes('language_model')).join('\n'));
});
