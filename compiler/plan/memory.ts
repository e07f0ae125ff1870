/**
 * The memory planner: one arena for every activation, graph input and output.
 *
 * 1. Liveness: a buffer is live from the kernel that first writes it (graph inputs: before the
 *    first kernel, −1) to the last kernel that reads it (graph outputs: to the end).
 * 2. In place: a kernel may write an output into the storage of an input that dies at that kernel
 *    when the kernel kind allows it for that operand pair (same element written after it is read:
 *    elementwise operands, epilogue loads, a norm's row) and both use the same bytes and layout.
 *    The two become one group, live over both intervals.
 * 3. Offsets: greedy by size (TFLite's arena planner): groups largest first, each at the lowest
 *    offset whose gap fits it among the placed groups live at the same time; offsets aligned to
 *    256 bytes (WebGPU's minStorageBufferOffsetAlignment).
 * 4. Report: the arena size, the no-reuse sum (every buffer its own storage), and the lower bound
 *    (the largest total of groups live at one kernel — no placement can do better).
 */

export const ARENA_ALIGNMENT = 256;

export interface ArenaBuffer {
  readonly id: number;
  readonly bytes: number;
  /** First kernel index writing it (−1: written before the forward). */
  readonly first: number;
  /** Last kernel index reading it (kernel count: kept to the end). */
  readonly last: number;
}

/** A legal in-place pair: at kernel `kernel`, output buffer `output` may take input buffer `input`'s storage. */
export interface InPlaceCandidate {
  readonly kernel: number;
  readonly input: number;
  readonly output: number;
}

export interface MemoryPlan {
  readonly offsets: ReadonlyMap<number, number>;
  /** Output buffer → the buffer whose storage it reuses. */
  readonly inPlaceOf: ReadonlyMap<number, number>;
  readonly arenaBytes: number;
  readonly naiveBytes: number;
  readonly lowerBoundBytes: number;
  /** Live interval of each buffer's group. */
  readonly live: ReadonlyMap<number, readonly [number, number]>;
}

export function alignUp(bytes: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(bytes / alignment) * alignment;
}

interface Group {
  readonly members: number[];
  bytes: number;
  first: number;
  last: number;
  offset: number;
}

export function planMemory(buffers: readonly ArenaBuffer[], candidates: readonly InPlaceCandidate[]): MemoryPlan {
  const byId = new Map(buffers.map((b) => [b.id, b]));
  const groupOf = new Map<number, Group>();
  const groups: Group[] = [];
  for (const b of buffers) {
    const g: Group = { members: [b.id], bytes: alignUp(b.bytes), first: b.first, last: b.last, offset: -1 };
    groups.push(g);
    groupOf.set(b.id, g);
  }
  // In place: an input's group continues as the output's when the input dies here.
  const inPlaceOf = new Map<number, number>();
  const taken = new Set<number>();
  for (const c of [...candidates].sort((a, b) => a.kernel - b.kernel || a.output - b.output || a.input - b.input)) {
    const input = byId.get(c.input);
    const output = byId.get(c.output);
    if (input === undefined || output === undefined || inPlaceOf.has(c.output) || taken.has(c.input)) continue;
    const gi = groupOf.get(c.input) as Group;
    const go = groupOf.get(c.output) as Group;
    if (gi === go || gi.last !== c.kernel || go.first !== c.kernel || go.members.length !== 1) continue;
    if (alignUp(input.bytes) !== alignUp(output.bytes)) continue;
    gi.members.push(c.output);
    gi.last = Math.max(gi.last, go.last);
    groups.splice(groups.indexOf(go), 1);
    groupOf.set(c.output, gi);
    inPlaceOf.set(c.output, c.input);
    taken.add(c.input);
  }
  // Greedy by size, ties by earlier start then id (deterministic).
  const order = [...groups].sort((a, b) => b.bytes - a.bytes || a.first - b.first || a.members[0] - b.members[0]);
  const placed: Group[] = [];
  let arena = 0;
  for (const g of order) {
    const overlapping = placed.filter((p) => p.first <= g.last && g.first <= p.last).sort((a, b) => a.offset - b.offset);
    let best = -1;
    let bestGap = Infinity;
    let cursor = 0;
    for (const p of overlapping) {
      const gap = p.offset - cursor;
      if (gap >= g.bytes && gap < bestGap) {
        best = cursor;
        bestGap = gap;
      }
      cursor = Math.max(cursor, p.offset + p.bytes);
    }
    g.offset = best >= 0 ? best : cursor;
    arena = Math.max(arena, g.offset + g.bytes);
    placed.push(g);
  }
  // The lower bound: the heaviest moment.
  const events = new Map<number, number>();
  for (const g of groups) {
    events.set(g.first, (events.get(g.first) ?? 0) + g.bytes);
    events.set(g.last + 1, (events.get(g.last + 1) ?? 0) - g.bytes);
  }
  let live = 0;
  let lowerBound = 0;
  for (const t of [...events.keys()].sort((a, b) => a - b)) {
    live += events.get(t) as number;
    lowerBound = Math.max(lowerBound, live);
  }
  const offsets = new Map<number, number>();
  const liveOf = new Map<number, readonly [number, number]>();
  for (const g of groups) {
    for (const m of g.members) {
      offsets.set(m, g.offset);
      liveOf.set(m, [g.first, g.last]);
    }
  }
  return {
    offsets,
    inPlaceOf,
    arenaBytes: arena,
    naiveBytes: buffers.reduce((s, b) => s + alignUp(b.bytes), 0),
    lowerBoundBytes: lowerBound,
    live: liveOf,
  };
}

/** Pairs of buffers that are live at the same time and overlap in the arena (must be none). */
export function arenaConflicts(buffers: readonly ArenaBuffer[], plan: MemoryPlan): [number, number][] {
  const conflicts: [number, number][] = [];
  const items = buffers.map((b) => ({ id: b.id, bytes: b.bytes, offset: plan.offsets.get(b.id) as number, live: plan.live.get(b.id) as readonly [number, number] }));
  const root = (id: number): number => {
    let r = id;
    while (plan.inPlaceOf.has(r)) r = plan.inPlaceOf.get(r) as number;
    return r;
  };
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (root(a.id) === root(b.id)) continue;
      const timeOverlap = a.live[0] <= b.live[1] && b.live[0] <= a.live[1];
      const spaceOverlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
      if (timeOverlap && spaceOverlap) conflicts.push([a.id, b.id]);
    }
  }
  return conflicts;
}
