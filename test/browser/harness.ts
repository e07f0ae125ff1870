/**
 * Node side of the browser tests: finding Chromium, bundling test/browser/page.ts for the browser
 * with esbuild (in memory, at test time), serving it and the job's data from a localhost HTTP
 * server, and launching headless Chromium with WebGPU through playwright-core.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const HERE = import.meta.dirname;

/** Where Debian's `chromium` package (and distributions naming it otherwise) put the browser. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_MISSING =
  `no Chromium found (looked for ${CHROMIUM_CANDIDATES.join(', ')}, or MIMO_CHROMIUM): install it with ` +
  '`apt-get install chromium` (CI does so in .ci/run) to run the WebGPU executor in a browser';

/** The Chromium executable: MIMO_CHROMIUM when set, else the first installed candidate. */
export function findChromium(): string | undefined {
  const named = process.env.MIMO_CHROMIUM;
  if (named !== undefined && named !== '') return existsSync(named) ? named : undefined;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

/**
 * Headless Chromium with WebGPU and no GPU. As root Chromium needs --no-sandbox; the network
 * switches keep it from calling out on a closed network. Without a GPU, Chromium's Dawn offers its
 * bundled SwiftShader Vulkan (a CPU implementation, a real Dawn adapter: vendor "google",
 * architecture "swiftshader"); it does not offer Mesa's lavapipe, whatever --use-vulkan/--use-angle
 * say, so the switches name SwiftShader outright. Playwright adds a fresh --user-data-dir itself.
 */
export const CHROMIUM_WEBGPU_ARGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: [...CHROMIUM_WEBGPU_ARGS], headless: true, timeout: 60_000 });
}

/**
 * test/browser/page.ts and everything it imports as one browser ES module. `platform: 'browser'`
 * makes any Node built-in reached from the runtime a build error; runtime/webgpu's Dawn fallback
 * is a computed `import()` that esbuild leaves alone (navigator.gpu is found first in a page).
 */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(HERE, 'page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned bundling the page:\n${result.warnings.map((w) => w.text).join('\n')}`);
  return result.outputFiles[0].text;
}

export interface ServedFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `files` (by path) on 127.0.0.1 at a free port; localhost pages are secure contexts, as WebGPU needs. */
export async function serveFiles(files: ReadonlyMap<string, ServedFile>): Promise<PageServer> {
  const server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no ${request.url}`);
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The page: the bundle as a module script (an empty icon so Chromium asks for no /favicon.ico). */
export const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>mimo WebGPU executor</title><script type="module" src="/page.js"></script>';
