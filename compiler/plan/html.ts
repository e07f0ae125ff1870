/**
 * `mimo plan --html`: one self-contained page (inline CSS and SVG, no scripts, no external
 * assets) with the plan's summary, time by kernel class, an SVG roofline of the target device
 * with every kernel placed at its arithmetic intensity and modeled rate, and the slowest kernels.
 */
import { DEVICES, type TargetId } from './devices.js';
import type { KernelClass, Plan } from './types.js';

const COLORS: Readonly<Record<KernelClass, string>> = {
  matmul: '#1f77b4',
  attention: '#d62728',
  conv: '#9467bd',
  norm: '#2ca02c',
  elementwise: '#ff7f0e',
  reduction: '#8c564b',
  data_movement: '#7f7f7f',
};

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(2)} ${units[u]}`;
}

export function formatMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function fmtNum(n: number): string {
  return n.toExponential(2).replace('e+', 'e');
}

/** The SVG roofline: log-log, intensity (FLOP/byte) against FLOP/s. */
export function rooflineSvg(plan: Plan): string {
  const device = DEVICES[plan.target as TargetId];
  const width = 760;
  const height = 440;
  const m = { left: 70, right: 20, top: 20, bottom: 50 };
  const dtype = plan.dtype === 'int32' ? 'float32' : plan.dtype;
  const peak = device.matrixFlops[dtype];
  const points = plan.kernels.filter((k) => k.cost.bytes > 0 && k.cost.flops > 0);
  const xs = points.map((k) => k.cost.flops / k.cost.bytes);
  const ys = points.map((k) => k.cost.flops / (k.cost.ms / 1e3));
  const xMin = Math.pow(10, Math.floor(Math.log10(Math.min(0.1, ...xs))));
  const xMax = Math.pow(10, Math.ceil(Math.log10(Math.max(1e3, (peak / device.bandwidth) * 10, ...xs))));
  const yMax = Math.pow(10, Math.ceil(Math.log10(peak * 1.5)));
  const yMin = Math.pow(10, Math.floor(Math.log10(Math.min(device.bandwidth * xMin, ...ys))));
  const px = (x: number): number => m.left + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * (width - m.left - m.right);
  const py = (y: number): number => height - m.bottom - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (height - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="roofline">`);
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="#fafafa" stroke="#ccc"/>`);
  for (let e = Math.log10(xMin); e <= Math.log10(xMax); e++) {
    const x = px(Math.pow(10, e)).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${height - m.bottom}" stroke="#e5e5e5"/><text x="${x}" y="${height - m.bottom + 16}" font-size="11" text-anchor="middle">1e${e}</text>`);
  }
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    const y = py(Math.pow(10, e)).toFixed(1);
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${width - m.right}" y2="${y}" stroke="#e5e5e5"/><text x="${m.left - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle">1e${e}</text>`);
  }
  parts.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" font-size="12" text-anchor="middle">arithmetic intensity (FLOP / byte)</text>`);
  parts.push(`<text x="16" y="${(m.top + height - m.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${(m.top + height - m.bottom) / 2})">FLOP/s (modeled)</text>`);
  const roof = (p: number, dash: string, label: string): void => {
    const ridge = p / device.bandwidth;
    const x0 = xMin;
    const pts = [
      [x0, device.bandwidth * x0],
      [Math.min(ridge, xMax), Math.min(p, device.bandwidth * xMax)],
      [xMax, p],
    ];
    parts.push(`<polyline fill="none" stroke="#333" stroke-width="1.5" stroke-dasharray="${dash}" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    parts.push(`<text x="${width - m.right - 4}" y="${(py(p) - 5).toFixed(1)}" font-size="11" text-anchor="end">${esc(label)}</text>`);
  };
  roof(peak, '', `matrix peak ${fmtNum(peak)} FLOP/s (${dtype})`);
  if (device.vectorFlops !== peak) roof(device.vectorFlops, '4 3', `vector peak ${fmtNum(device.vectorFlops)} FLOP/s`);
  points.forEach((k, i) => {
    parts.push(
      `<circle cx="${px(xs[i]).toFixed(1)}" cy="${py(ys[i]).toFixed(1)}" r="3.5" fill="${COLORS[k.class]}" fill-opacity="0.7"><title>${esc(`#${k.id} ${k.label} (${k.scope}): ${fmtNum(k.cost.flops)} FLOP, ${formatBytes(k.cost.bytes)}, ${formatMs(k.cost.ms)}, ${k.cost.bound}-bound`)}</title></circle>`,
    );
  });
  const classes = Object.keys(COLORS) as KernelClass[];
  classes.forEach((c, i) => {
    const y = m.top + 14 + i * 15;
    parts.push(`<circle cx="${m.left + 12}" cy="${y}" r="4" fill="${COLORS[c]}"/><text x="${m.left + 22}" y="${y}" font-size="11" dominant-baseline="middle">${c}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function planHtml(plan: Plan): string {
  const s = plan.summary;
  const device = DEVICES[plan.target as TargetId];
  const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
  const rows = (cells: readonly (readonly string[])[]): string => cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  const classRows = (Object.entries(plan.cost.byClass) as [KernelClass, Plan['cost']['byClass'][KernelClass]][])
    .filter(([, t]) => t.kernels > 0)
    .map(([c, t]) => [c, String(t.kernels), fmtNum(t.flops), formatBytes(t.bytes), formatMs(t.ms), pct(t.ms, plan.cost.totalMs)]);
  const slowest = [...plan.kernels].sort((a, b) => b.cost.ms - a.cost.ms || a.id - b.id).slice(0, 25);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mimo plan: ${esc(plan.model)} (${plan.mode}, ${esc(device.name)})</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; font-size: 13px; }
td:first-child, th:first-child { text-align: left; }
th { background: #f0f0f0; }
</style>
</head>
<body>
<h1>${esc(plan.model)}: ${plan.mode} plan</h1>
<p>batch ${plan.bindings.batch}, ${plan.bindings.text} text tokens, sequence ${plan.bindings.seq}${plan.mode === 'decode' ? `, one token after ${plan.bindings.past} cached` : ''}; ${plan.dtype}; target ${esc(device.name)}.</p>
<h2>Summary</h2>
<table>
<tr><th></th><th>unfused</th><th>fused</th><th>ratio</th></tr>
${rows([
  ['ops / kernels', String(s.ops_unfused), String(s.kernels), pct(s.kernels, s.ops_unfused)],
  ['bytes moved', formatBytes(s.bytes_unfused), formatBytes(s.bytes_fused), pct(s.bytes_fused, s.bytes_unfused)],
  ['estimated time', formatMs(s.unfused_estimated_ms), formatMs(s.estimated_ms), pct(s.estimated_ms, s.unfused_estimated_ms)],
])}
</table>
<table>
<tr><th>memory</th><th>bytes</th><th>vs arena</th></tr>
${rows([
  ['arena (planned)', formatBytes(s.arena_bytes), '100%'],
  ['no reuse (sum of buffers)', formatBytes(s.naive_bytes), pct(s.naive_bytes, s.arena_bytes)],
  ['lower bound (largest live set)', formatBytes(s.lower_bound_bytes), pct(s.lower_bound_bytes, s.arena_bytes)],
  ['weights (separate)', formatBytes(s.weight_bytes), ''],
  ['KV cache (separate)', formatBytes(s.kv_cache_bytes), ''],
])}
</table>
<h2>Time by kernel class</h2>
<table>
<tr><th>class</th><th>kernels</th><th>FLOP</th><th>bytes</th><th>time</th><th>share</th></tr>
${rows(classRows)}
</table>
<h2>Roofline</h2>
${rooflineSvg(plan)}
<p>Sources: ${esc(device.sources.matrixFlops)}; ${esc(device.sources.bandwidth)}; launch overhead: ${esc(device.sources.launchOverhead)}.</p>
<h2>Slowest kernels</h2>
<table>
<tr><th>#</th><th>kernel</th><th>scope</th><th>FLOP</th><th>bytes</th><th>time</th><th>bound</th></tr>
${rows(slowest.map((k) => [String(k.id), k.label, k.scope, fmtNum(k.cost.flops), formatBytes(k.cost.bytes), formatMs(k.cost.ms), k.cost.bound]))}
</table>
</body>
</html>
`;
}
