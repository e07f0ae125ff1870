/** suggest(): the nearest candidate within a typo's distance, deterministic on ties. */
import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../compiler/diagnostics/suggest.js';

describe('suggest', () => {
  const keywords = ['model', 'variant', 'grid', 'zip', 'import', 'assert'];

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest keyword for common typos', () => {
    expect(suggest('modle', keywords)).toBe('model');
    expect(suggest('varient', keywords)).toBe('variant');
    expect(suggest('gird', keywords)).toBe('grid');
    expect(suggest('imprt', keywords)).toBe('import');
    expect(suggest('Model', keywords)).toBe('model');
  });

  it('suggests nothing for unrelated words', () => {
    expect(suggest('layers', keywords)).toBeUndefined();
    expect(suggest('x', keywords)).toBeUndefined();
    expect(suggest('', keywords)).toBeUndefined();
  });

  it('breaks ties by candidate order', () => {
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
    expect(suggest('ab', ['ad', 'ac'])).toBe('ad');
  });

  it('works for field names as the checker uses it', () => {
    expect(suggest('hiden', ['layers', 'hidden', 'heads'])).toBe('hidden');
    expect(suggest('kv_head', ['kv_heads', 'heads'])).toBe('kv_heads');
  });
});
