/**
 * Names in generated code. Spec text never becomes code as is: model ids and sense names pass
 * through these functions, which keep only identifier characters, avoid reserved words and the
 * names the generated module itself uses, and make every name unique within its scope.
 */

/** ECMAScript reserved words, strict-mode and TypeScript contextual keywords that cannot name a binding or class. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements',
  'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  'any', 'boolean', 'number', 'string', 'symbol', 'never', 'object', 'unknown', 'bigint', 'type', 'as', 'is', 'keyof',
  'readonly', 'declare', 'module', 'namespace', 'require', 'global', 'constructor', 'prototype', '__proto__',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `name` can be written as a bare property name or binding in generated code. */
export function isSafeIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

/** Words of a spec name: runs of ASCII letters and digits (`llava_avlm/tiny` → llava, avlm, tiny). */
function words(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
}

/** A valid identifier made of `text`'s identifier characters (others become `_`), never reserved. */
export function mangleIdentifier(text: string, fallback = 'x'): string {
  let name = text.replace(/[^A-Za-z0-9_$]/g, '_');
  if (name === '' || /^_*$/.test(name)) name = fallback;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return RESERVED.has(name) ? `${name}_` : name;
}

/** `llava_avlm/tiny` → `LlavaAvlmTiny`; a leading digit gets a `Model` prefix. */
export function pascalCase(text: string, fallback = 'Model'): string {
  const joined = words(text)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  if (joined === '') return fallback;
  const name = /^[0-9]/.test(joined) ? `${fallback}${joined}` : joined;
  return RESERVED.has(name) ? `${name}_` : name;
}

/** `audio_in` → `audioIn`. */
export function camelCase(text: string, fallback = 'x'): string {
  const p = pascalCase(text, '');
  if (p === '') return fallback;
  const c = p[0].toLowerCase() + p.slice(1);
  const name = /^[0-9]/.test(c) ? `_${c}` : c;
  return RESERVED.has(name) ? `${name}_` : name;
}

/** A file base name from a model id: lowercase words joined by `_` (`llava_avlm/tiny` → `llava_avlm_tiny`). */
export function fileBaseName(id: string): string {
  const base = words(id).join('_').toLowerCase();
  return base === '' ? 'model' : base;
}

/**
 * Hands out names unique within one scope, in call order (deterministic): a taken or reserved
 * name gets `_2`, `_3`, ... appended.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  allocate(wanted: string): string {
    const base = RESERVED.has(wanted) ? `${wanted}_` : wanted;
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }
}
