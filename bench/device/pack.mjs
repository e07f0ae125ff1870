#!/usr/bin/env node
// Builds `.device-kit/` at the repository root: everything `mimo bench` needs on a lent GPU
// machine that has no npm, no network and maybe no node (bench/device/README.md). The device
// call then only carries the kit and runs `bash .device-kit/run.sh gpu`.
//
// What goes in, and why:
// - node.xz            this machine's node binary (the device may have none), xz-compressed;
// - mimo.mjs           one ES module: tsc's dist/cli/main.js and every JavaScript dependency the
//                      bench path loads (tfjs and its webgpu backend, commander, chevrotain, yaml,
//                      ajv ...). Only `webgpu` (native), tfjs-backend-wasm and tfjs-node stay
//                      outside; ts-morph/typescript/onnxruntime-node (build/run, not bench) are
//                      replaced by a module that throws a clear "not in the kit" error when used;
// - package.json, compiler/presets/   the package root the bundle finds its presets from;
// - node_modules/webgpu/              Dawn's binding: its JS, with dist/linux-x64/dawn.node.xz;
// - lib/libstdc++.so.6.xz             this machine's C++ runtime, used only where the device's is
//                                     older than dawn.node needs;
// - debs/              `apt-get download libvulkan1 ...`: the Vulkan loader Dawn opens and the
//                      libraries NVIDIA's Vulkan driver links (used there only where missing);
// - run.sh, probe.mjs, summary.mjs   the one device command and its helpers (from bench/device/).
//
// Usage: npm run build && node bench/device/pack.mjs
// Big compressed pieces are reused when their source is unchanged (stamps.json), since xz of
// node takes about a minute. Exit 1 with one line saying what is missing when a piece cannot be made.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(dirname(here));
const kit = join(repo, '.device-kit');
const require = createRequire(join(repo, 'package.json'));

/** A failure whose message is the whole report (no stack). */
class KitError extends Error {}

/** Bundled packages that only non-bench commands use: any use throws a clear error instead of loading them. */
const NOT_IN_KIT = ['ts-morph', 'typescript', 'onnxruntime-node'];
/** Packages left as run-time import() in the bundle: only `webgpu` is carried; the others are optional backends. */
const EXTERNAL = ['webgpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
/** Packages a bundled dependency require()s inside try/catch and does without: node-fetch (tfjs's) and `encoding`. */
const OPTIONAL_REQUIRES = ['encoding'];
/** Source folders compiled into dist/ (tsconfig.json's include). */
const SOURCE_DIRS = ['cli', 'compiler', 'grammar', 'runtime'];
/** The kit must leave room for the working tree in the device call's 64 MiB. */
const KIT_LIMIT = 60 * 1024 * 1024;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: options.encoding ?? 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.error?.code === 'ENOENT') throw new KitError(`\`${command}\` is not installed here; ${options.why ?? 'the kit needs it'}`);
  if (result.error) throw new KitError(`\`${command} ${args.join(' ')}\` failed: ${result.error.message}`);
  return result;
}

function mustSucceed(result, what) {
  if (result.status !== 0) {
    const said = String(result.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    throw new KitError(`${what} failed (exit ${result.status})${said ? `: ${said}` : ''}`);
  }
  return result;
}

/** Writes through a temporary name in the same folder, so a broken pack leaves no half file. */
function writeAtomically(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

// ---- checks ------------------------------------------------------------------------------------

/** dist/ must exist and be at least as new as every source file (the kit bundles tsc's output). */
function checkDist() {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new KitError('dist/cli/main.js is missing: run `npm run build` first');
  const stale = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const compiled = join(repo, 'dist', relative(repo, path)).replace(/\.ts$/, '.js');
        if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path).mtimeMs) stale.push(relative(repo, path));
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(repo, dir));
  if (stale.length > 0) throw new KitError(`dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}): run \`npm run build\` first`);
}

function checkTools() {
  mustSucceed(run('xz', ['--version'], { why: 'install xz-utils (`apt-get install xz-utils`)' }), '`xz --version`');
  mustSucceed(run('apt-get', ['--version'], { why: 'the Vulkan loader is fetched with `apt-get download` (Debian/Ubuntu only)' }), '`apt-get --version`');
  mustSucceed(run('dpkg-deb', ['--version'], { why: 'the downloaded .deb is checked with dpkg-deb' }), '`dpkg-deb --version`');
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new KitError(`the device is linux-x64; this is ${process.platform}-${process.arch}, whose node binary would not run there`);
}

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new KitError(`the package \`${name}\` is not installed: run \`npm ci\` first`);
  }
}

// ---- the bundle --------------------------------------------------------------------------------

/** esbuild plugin: how the bundle differs from dist/ (each rewrite fails loudly if its target moved). */
function kitModules() {
  const chevrotainBundle = join(dirname(dirname(require.resolve('chevrotain'))), 'chevrotain.mjs');
  return {
    name: 'mimo-device-kit',
    setup(builder) {
      // Not needed by bench: a module that throws when a command that needs it runs.
      const filter = new RegExp(`^(${NOT_IN_KIT.map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|')})$`);
      builder.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'not-in-kit' }));
      builder.onLoad({ filter: /.*/, namespace: 'not-in-kit' }, (args) => ({
        contents:
          `function unavailable() { throw new Error(${JSON.stringify(`the package \`${args.path}\` is not in the mimo device kit (it carries only what \`mimo bench\` needs); run this command from a full checkout`)}); }\n` +
          'module.exports = unavailable();\n',
        loader: 'js',
      }));
      // grammar/chevrotain: a top-level import() of Chevrotain's single-file build by URL; bundle that file statically.
      builder.onLoad({ filter: /[\\/]dist[\\/]grammar[\\/]chevrotain\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const names = /export const \{([^}]+)\} = chevrotain;/.exec(source);
        if (names === null) throw new KitError('dist/grammar/chevrotain.js no longer ends with `export const { ... } = chevrotain;`: update kitModules() in bench/device/pack.mjs');
        if (!existsSync(chevrotainBundle)) throw new KitError(`${chevrotainBundle} is missing: did chevrotain stop shipping its single-file build?`);
        return { contents: `export {${names[1]}} from ${JSON.stringify(chevrotainBundle)};\n`, loader: 'js' };
      });
      // compiler/presets: loads `yaml` with createRequire, which esbuild does not follow; make it a plain require.
      builder.onLoad({ filter: /[\\/]dist[\\/]compiler[\\/]presets[\\/]index\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const call = "createRequire(import.meta.url)('yaml')";
        if (source.split(call).length !== 2) throw new KitError(`dist/compiler/presets/index.js no longer loads yaml as \`${call}\`: update kitModules() in bench/device/pack.mjs`);
        return { contents: source.replace(call, "require('yaml')"), loader: 'js' };
      });
    },
  };
}

async function bundle(outfile) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new KitError('esbuild is not installed: run `npm ci` first');
  }
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: repo,
      stdin: {
        contents: "import { main } from './dist/cli/main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n",
        resolveDir: repo,
        sourcefile: 'device-kit-entry.mjs',
        loader: 'js',
      },
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      plugins: [kitModules()],
      // CommonJS dependencies (tfjs, ajv, yaml) require Node's built-ins; an ES module has no `require`.
      banner: { js: "import { createRequire as __kitCreateRequire } from 'node:module';\nconst require = __kitCreateRequire(import.meta.url);" },
      metafile: true,
      logLevel: 'silent',
    });
  } catch (error) {
    const first = error.errors?.[0];
    throw new KitError(`esbuild could not bundle the CLI: ${first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : error.message}`);
  }
  // Whatever the bundle still imports must be a Node built-in, or an allowed package loaded by import() (never at start-up).
  const output = Object.values(result.metafile.outputs)[0];
  for (const imported of output.imports.filter((i) => i.external)) {
    if (isBuiltin(imported.path)) continue;
    if (imported.kind === 'require-call' && OPTIONAL_REQUIRES.includes(imported.path)) continue;
    if (!EXTERNAL.includes(imported.path)) throw new KitError(`the bundle imports \`${imported.path}\` at run time, which the kit does not carry: bundle it or add it to NOT_IN_KIT in bench/device/pack.mjs`);
    if (imported.kind !== 'dynamic-import') throw new KitError(`the bundle imports \`${imported.path}\` statically (${imported.kind}): the kit would fail to start without it`);
  }
}

// ---- compressed binaries -----------------------------------------------------------------------

function readStamps() {
  try {
    return JSON.parse(readFileSync(join(kit, 'stamps.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** `source` xz-compressed at `target` (inside the kit), reused when the stamp says the source is unchanged. */
function compress(source, target, stamps, fresh) {
  if (!existsSync(source)) throw new KitError(`${source} is missing`);
  const info = statSync(source);
  const stamp = `${source}:${info.size}:${info.mtimeMs}`;
  const key = relative(kit, target);
  fresh[key] = stamp;
  if (stamps[key] === stamp && existsSync(target)) return 'reused';
  const compressed = mustSucceed(run('xz', ['-6', '-T1', '-c', source], { encoding: 'buffer' }), `xz of ${source}`).stdout;
  writeAtomically(target, compressed);
  return 'compressed';
}

/** The C++ runtime dawn.node links against here (resolved through ldd). */
function libstdcxx(dawn) {
  const listed = mustSucceed(run('ldd', [dawn], { why: 'ldd finds the C++ runtime dawn.node uses' }), `ldd ${dawn}`).stdout;
  const match = /libstdc\+\+\.so\.6 => (\S+)/.exec(listed);
  if (match === null) throw new KitError(`ldd does not show libstdc++.so.6 for ${dawn}`);
  return match[1];
}

// ---- the Vulkan loader and what NVIDIA's driver links ------------------------------------------

/**
 * Shared libraries the device may lack, as Debian packages: the Vulkan loader Dawn opens, and what
 * NVIDIA's Vulkan driver (libGLX_nvidia.so.0) links against (glvnd's libGLdispatch, libX11 and
 * libXext with theirs). run.sh uses only those the device has no library of.
 */
const DEBS = ['libvulkan1', 'libglvnd0', 'libx11-6', 'libxext6', 'libxcb1', 'libxau6', 'libxdmcp6', 'libbsd0', 'libmd0'];

function downloadDebs(folder) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const arch = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64'];
  let result = run('apt-get', [...arch, 'download', ...DEBS], { cwd: folder });
  if (result.status !== 0) {
    // No package lists here: fetch them into a private folder (leaves the system's untouched).
    const lists = join(process.env.TMPDIR ?? '/tmp', 'mimo-device-kit-apt-lists');
    mkdirSync(join(lists, 'partial'), { recursive: true });
    const own = [...arch, `-oDir::State::Lists=${lists}`];
    mustSucceed(run('apt-get', [...own, 'update']), '`apt-get update` (for the Vulkan loader download)');
    result = run('apt-get', [...own, 'download', ...DEBS], { cwd: folder });
  }
  mustSucceed(result, `\`apt-get download ${DEBS.join(' ')}\``);
  const debs = readdirSync(folder).filter((f) => f.endsWith('.deb')).sort();
  for (const name of DEBS) {
    const deb = debs.find((f) => f.startsWith(`${name}_`) && f.endsWith('_amd64.deb'));
    if (deb === undefined) throw new KitError(`\`apt-get download\` left no amd64 .deb of ${name} in ${folder}`);
    const contents = mustSucceed(run('dpkg-deb', ['-c', join(folder, deb)]), `dpkg-deb -c ${deb}`).stdout;
    if (!/x86_64-linux-gnu\/lib[^/\s]+\.so\.\d+ /.test(contents)) throw new KitError(`${deb} holds no x86_64 shared library`);
  }
  return debs;
}

// ---- the kit -----------------------------------------------------------------------------------

function sizeOf(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function pack() {
  checkDist();
  checkTools();
  const webgpu = packageDir('webgpu');
  const dawn = join(webgpu, 'dist', 'linux-x64', 'dawn.node');
  if (!existsSync(dawn)) throw new KitError(`${dawn} is missing: reinstall the \`webgpu\` package (npm ci)`);

  const stamps = readStamps();
  const fresh = {};
  mkdirSync(kit, { recursive: true });
  // Keep only what can be reused; everything else is made again.
  const reusable = new Set(['node.xz', 'stamps.json', 'node_modules', 'lib']);
  for (const name of readdirSync(kit)) if (!reusable.has(name)) rmSync(join(kit, name), { recursive: true, force: true });

  const steps = [];
  await bundle(join(kit, 'mimo.mjs'));
  steps.push('mimo.mjs bundled');

  steps.push(`node.xz ${compress(process.execPath, join(kit, 'node.xz'), stamps, fresh)} (node ${process.version})`);

  const kitWebgpu = join(kit, 'node_modules', 'webgpu');
  if (existsSync(kitWebgpu)) for (const name of readdirSync(kitWebgpu)) if (name !== 'dist') rmSync(join(kitWebgpu, name), { recursive: true, force: true });
  for (const name of ['index.js', 'package.json', 'LICENSE.md']) {
    if (!existsSync(join(webgpu, name))) throw new KitError(`${join(webgpu, name)} is missing: reinstall the \`webgpu\` package (npm ci)`);
    mkdirSync(kitWebgpu, { recursive: true });
    copyFileSync(join(webgpu, name), join(kitWebgpu, name));
  }
  steps.push(`dawn.node.xz ${compress(dawn, join(kitWebgpu, 'dist', 'linux-x64', 'dawn.node.xz'), stamps, fresh)} (webgpu ${JSON.parse(readFileSync(join(webgpu, 'package.json'), 'utf8')).version})`);
  steps.push(`libstdc++.so.6.xz ${compress(libstdcxx(dawn), join(kit, 'lib', 'libstdc++.so.6.xz'), stamps, fresh)}`);
  writeAtomically(join(kit, 'stamps.json'), `${JSON.stringify(fresh, null, 2)}\n`);

  steps.push(`debs/: ${downloadDebs(join(kit, 'debs')).join(' ')}`);

  // The package root the bundle walks up to: its name and version, and the presets it reads.
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  writeAtomically(join(kit, 'package.json'), `${JSON.stringify({ name: manifest.name, version: manifest.version, private: true, type: 'module' }, null, 2)}\n`);
  const presets = join(repo, 'compiler', 'presets');
  mkdirSync(join(kit, 'compiler', 'presets'), { recursive: true });
  for (const name of readdirSync(presets).filter((n) => n.endsWith('.yaml') || n === 'presets.snapshot.json')) copyFileSync(join(presets, name), join(kit, 'compiler', 'presets', name));

  for (const name of ['run.sh', 'probe.mjs', 'summary.mjs']) copyFileSync(join(here, name), join(kit, name));

  // The bundle starts and checks a spec on this machine's node (no GPU, no Dawn needed).
  const check = run(process.execPath, [join(kit, 'mimo.mjs'), 'check', join(repo, 'specs', 'tiny_gpt2.mimo')], { cwd: repo });
  mustSucceed(check, 'the smoke test `node .device-kit/mimo.mjs check specs/tiny_gpt2.mimo`');

  const total = sizeOf(kit);
  for (const step of steps) process.stdout.write(`  ${step}\n`);
  for (const name of readdirSync(kit).sort()) process.stdout.write(`  ${name.padEnd(16)} ${mib(sizeOf(join(kit, name))).padStart(9)}\n`);
  process.stdout.write(`${relative(process.cwd(), kit) || basename(kit)}: ${mib(total)} in all\n`);
  if (total > KIT_LIMIT) throw new KitError(`the kit is ${mib(total)}, over its ${mib(KIT_LIMIT)} budget (the device call carries at most 64 MiB with the working tree)`);
}

try {
  await pack();
} catch (error) {
  if (!(error instanceof KitError)) throw error;
  process.stderr.write(`bench/device/pack.mjs: ${error.message}\n`);
  process.exit(1);
}
