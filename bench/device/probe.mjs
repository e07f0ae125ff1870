// Which WebGPU adapter Dawn (the kit's node_modules/webgpu) finds on this machine, asked the way
// mimo's runtime asks (`create([])`, high-performance). Prints one JSON line:
//   {"adapter": {vendor, architecture, device, description, maxBufferSize, maxStorageBufferBindingSize}}
//   or {"adapter": null} / {"error": "..."}.
// Exit 0: an adapter; 3: none; 4: Dawn did not load (the message says why, e.g. a missing GLIBCXX).
let dawn;
try {
  dawn = await import('webgpu');
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(4);
}
const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
if (adapter === null) {
  process.stdout.write(`${JSON.stringify({ adapter: null })}\n`);
  process.exit(3);
}
const info = adapter.info ?? {};
const described = {
  vendor: info.vendor ?? '',
  architecture: info.architecture ?? '',
  device: info.device ?? '',
  description: info.description ?? '',
  maxBufferSize: adapter.limits.maxBufferSize,
  maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
};
process.stdout.write(`${JSON.stringify({ adapter: described })}\n`);
// Dawn keeps the event loop alive; the answer is out.
process.exit(0);
