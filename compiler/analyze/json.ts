/**
 * JSON text in which BigInts print as plain integers (`6738415616`, not `"6738415616"`), exactly,
 * even above 2^53 (`JSON.stringify` throws on them). Everything else prints as `JSON.stringify`
 * would: strings escaped by it, `undefined` members left out, non-finite numbers as `null`.
 * Output is deterministic: keys keep their insertion order.
 */

function write(value: unknown, indent: string, step: string): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  const inner = indent + step;
  const open = step === '' ? '' : `\n${inner}`;
  const close = step === '' ? '' : `\n${indent}`;
  const separator = step === '' ? ',' : `,\n${inner}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => write(item, inner, step) ?? 'null');
    return `[${open}${items.join(separator)}${close}]`;
  }
  if (value instanceof Map) return write(Object.fromEntries(value), indent, step);
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const text = write(member, inner, step);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${step === '' ? '' : ' '}${text}`);
  }
  if (members.length === 0) return '{}';
  return `{${open}${members.join(separator)}${close}}`;
}

/** Serialises `value` as JSON, BigInts as integers; `indent` spaces per level (0 for one line). */
export function stringifyJson(value: unknown, indent = 2): string {
  return write(value, '', ' '.repeat(indent)) ?? 'null';
}
