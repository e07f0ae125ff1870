#!/usr/bin/env bash
# The one command for a lent GPU machine (bench/device/README.md): `mimo bench --json` on the GPU
# through Dawn's Vulkan backend, from the kit that bench/device/pack.mjs built, with nothing
# installed there beforehand (no node, no npm, no network needed).
#
#   bash .device-kit/run.sh [tiny|gpu|auto]     (from the repository root; auto is the default)
#
# tiny: the three tiny benches of docs/benchmarks.md (fit a CPU Vulkan driver such as lavapipe);
# gpu:  those and three bigger models; auto: gpu where `nvidia-smi -L` lists a GPU, else tiny.
# Writes $OUT/<bench>.json (`mimo bench --json`), $OUT/summary.json and $OUT/run.log (./device-out
# when OUT is unset) and prints a summary table. Each bench has its own timeout, and all of them
# end before KIT_DEADLINE_S seconds (default 500) from the start, so the device call's own limit
# is never what stops it. KIT_BENCH_ARGS adds arguments to every bench (e.g. "--runs 20").
# Exit 0: every bench reported; 1: some failed or timed out; 2: the kit is broken; 3: no adapter.
set -u -o pipefail

started=$(date +%s)
KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${MIMO_ROOT:-$(dirname "$KIT")}
OUT=${OUT:-$PWD/device-out}
# Unpacked outside the kit, so that the kit itself never grows past what a device call carries.
WORK=${KIT_WORK:-/tmp/mimo-device-kit}
DEADLINE=${KIT_DEADLINE_S:-500}
mode=${1:-auto}

say() { printf '%s\n' "run.sh: $*"; }
die() { printf '%s\n' "run.sh: $2" >&2; exit "$1"; }

case $mode in tiny | gpu | auto) ;; *) die 2 "unknown mode '$mode' (tiny, gpu or auto)" ;; esac
[ -f "$KIT/mimo.mjs" ] && [ -f "$KIT/node.xz" ] || die 2 "$KIT is not a packed kit (no mimo.mjs or node.xz): run \`npm run build && node bench/device/pack.mjs\` first"
[ -f "$ROOT/specs/tiny_gpt2.mimo" ] || die 2 "no specs/ under $ROOT: run from the repository root or set MIMO_ROOT"
mkdir -p "$OUT" || die 2 "cannot create $OUT"

# ---- unpack --------------------------------------------------------------------------------------

# unxz SOURCE TARGET: with xz, else Python's lzma (an image with PyTorch has python3).
unxz_to() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" >"$2.partial"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2.partial"
  else
    echo "run.sh: neither xz nor python3 here to unpack $1" >&2
    return 1
  fi && mv "$2.partial" "$2"
}

rm -rf "$WORK" && mkdir -p "$WORK/bin" || die 2 "cannot create $WORK"
cp -R "$KIT/mimo.mjs" "$KIT/probe.mjs" "$KIT/summary.mjs" "$KIT/package.json" "$KIT/compiler" "$KIT/node_modules" "$WORK/" || die 2 "cannot copy the kit into $WORK"
unxz_to "$KIT/node.xz" "$WORK/bin/node" && chmod +x "$WORK/bin/node" || die 2 "cannot unpack node"
dawn=$WORK/node_modules/webgpu/dist/linux-x64/dawn.node
unxz_to "$dawn.xz" "$dawn" && rm -f "$dawn.xz" || die 2 "cannot unpack dawn.node"
NODE=$WORK/bin/node
node_version=$("$NODE" --version) || die 2 "the kit's node does not run here (glibc older than 2.28?)"
say "node $node_version from the kit, unpacked in $(($(date +%s) - started)) s; host: $(uname -srm 2>/dev/null) $( (. /etc/os-release && echo "($PRETTY_NAME)") 2>/dev/null)"

# Shared libraries from the kit's .debs (the Vulkan loader, and what NVIDIA's Vulkan driver
# libGLX_nvidia.so.0 links), each used only where the system has no library of that name;
# KIT_LIBS=all uses every one (to try the kit's on a machine that has them). Unpacked beside the
# kit and found through LD_LIBRARY_PATH: nothing is written into /.
loaders=$(ldconfig -p 2>/dev/null)
mkdir -p "$WORK/debroot" "$WORK/syslib"
for deb in "$KIT"/debs/*.deb; do dpkg -x "$deb" "$WORK/debroot" || die 2 "dpkg -x $deb failed (is dpkg installed?)"; done
supplied=()
for lib in "$WORK"/debroot/usr/lib/x86_64-linux-gnu/lib*.so.* "$WORK"/debroot/lib/x86_64-linux-gnu/lib*.so.*; do
  name=$(basename "$lib")
  [[ $name =~ ^lib.+\.so\.[0-9]+$ ]] || continue
  if [ "${KIT_LIBS:-missing}" = all ] || ! grep -qF "$(printf '\t')$name (" <<<"$loaders"; then
    cp -L "$lib" "$WORK/syslib/$name" && supplied+=("$name")
  fi
done
if [ "${#supplied[@]}" -gt 0 ]; then
  export LD_LIBRARY_PATH=$WORK/syslib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  say "from the kit (missing here): ${supplied[*]}"
fi

# ---- the GPU and the adapter ---------------------------------------------------------------------

: >"$WORK/gpus.txt"
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >"$WORK/gpus.txt" 2>/dev/null && [ -s "$WORK/gpus.txt" ]; then
  cat "$WORK/gpus.txt"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null | sed 's/^/GPU: /'
  [ "$mode" = auto ] && mode=gpu
else
  : >"$WORK/gpus.txt"
  say "nvidia-smi lists no GPU here"
  [ "$mode" = auto ] && mode=tiny
fi
export KIT_MODE=$mode

last_probe() { tail -n 1 "$WORK/adapter.json"; }
probe() {
  "$NODE" "$WORK/probe.mjs" >>"$WORK/adapter.json" 2>>"$OUT/run.log"
  probed=$?
  say "adapter: $(last_probe)${VK_DRIVER_FILES:+ (VK_DRIVER_FILES=$VK_DRIVER_FILES)}"
}
probe
if [ "$probed" = 4 ] && grep -q 'GLIBCXX\|CXXABI' <<<"$(last_probe)"; then
  say "this C++ runtime is older than dawn.node needs: using the kit's libstdc++"
  mkdir -p "$WORK/lib" && unxz_to "$KIT/lib/libstdc++.so.6.xz" "$WORK/lib/libstdc++.so.6" || die 2 "cannot unpack libstdc++"
  export LD_LIBRARY_PATH=$WORK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  probe
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ] && { [ "$probed" = 3 ] || { [ "$mode" = gpu ] && ! grep -qi nvidia <<<"$(last_probe)"; }; }; then
  before=$probed
  export VK_DRIVER_FILES=$nvidia_icd
  probe
  if [ "$probed" != 0 ] && [ "$before" = 0 ]; then
    unset VK_DRIVER_FILES
    probe
  fi
fi
if [ "$probed" != 0 ]; then
  say "system libvulkan entries: $(grep -c libvulkan <<<"$loaders"); ICD files: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>/dev/null | tr '\n' ' ')"
  die 3 "Dawn finds no WebGPU adapter (probe exit $probed); see $OUT/run.log"
fi
[ "$mode" = gpu ] && ! grep -qi nvidia <<<"$(last_probe)" && say "WARNING: gpu mode, but the adapter is not NVIDIA's"

# ---- the benches ---------------------------------------------------------------------------------

# bench/plan-tfjs.mjs's small_avlm: the tiny AVLM about 4x wider and 2x deeper (4.9 M parameters).
SMALL=(--set decoder.layers=4 --set decoder.hidden=256 --set decoder.heads=8 --set decoder.kv_heads=4 --set decoder.ffn=688
  --set vision.encoder.layers=4 --set vision.encoder.hidden=128 --set vision.encoder.heads=4 --set vision.encoder.ffn=512
  --set audio.encoder.layers=4 --set audio.encoder.hidden=128 --set audio.encoder.heads=4 --set audio.encoder.ffn=512)
# A 164 M-parameter decoder (8 x 1024, SwiGLU 2816, GQA 16/8, 32 000 tokens) on the small towers,
# one decode step over a 562-position cache: 0.66 GB of weights read per step. Prefill at this
# size is out of reach: bench checks every run against the plan's CPU interpreter, single-threaded.
MEDIUM=(--set decoder.layers=8 --set decoder.hidden=1024 --set decoder.heads=16 --set decoder.kv_heads=8 --set decoder.ffn=2816
  --set decoder.vocab=32000 --set decoder.context=2048
  --set vision.encoder.layers=4 --set vision.encoder.hidden=128 --set vision.encoder.heads=4 --set vision.encoder.ffn=512
  --set audio.encoder.layers=4 --set audio.encoder.hidden=128 --set audio.encoder.heads=4 --set audio.encoder.ffn=512
  --seq 512)

: >"$WORK/cases.tsv"
count=0
total=3
[ "$mode" = gpu ] && total=6
read -r -a extra <<<"${KIT_BENCH_ARGS:-}"

# bench NAME TIMEOUT_S SPEC ARGS...: one `mimo bench --json` into $OUT/NAME.json, stopped at its timeout.
bench() {
  local name=$1 limit=$2
  shift 2
  count=$((count + 1))
  local left=$((DEADLINE - ($(date +%s) - started) - 15))
  if [ "$left" -lt 20 ]; then
    say "[$count/$total] $name: skipped, $left s left of KIT_DEADLINE_S=$DEADLINE"
    printf '%s\t%s\t%s\t%s\n' "$name" -1 0 "$*" >>"$WORK/cases.tsv"
    return
  fi
  [ "$left" -lt "$limit" ] && limit=$left
  printf '\n== %s: mimo bench %s --json (timeout %s s)\n' "$name" "$*" "$limit" >>"$OUT/run.log"
  local t0 t1 rc
  t0=$(date +%s%N)
  (cd "$ROOT" && timeout -k 10 "$limit" "$NODE" "$WORK/mimo.mjs" bench "$@" "${extra[@]}" --json >"$OUT/$name.json" 2>>"$OUT/run.log")
  rc=$?
  t1=$(date +%s%N)
  [ -s "$OUT/$name.json" ] || rm -f "$OUT/$name.json"
  local wall
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$wall" "$*" >>"$WORK/cases.tsv"
  say "[$count/$total] $name: exit $rc in $wall s"
}

: >>"$OUT/run.log"
bench tiny_gpt2 90 specs/tiny_gpt2.mimo
bench tiny_avlm 90 specs/tiny_avlm.mimo
bench tiny_avlm_decode 90 specs/tiny_avlm.mimo --decode
if [ "$mode" = gpu ]; then
  bench small_avlm 150 specs/tiny_avlm.mimo "${SMALL[@]}"
  bench small_avlm_decode 120 specs/tiny_avlm.mimo "${SMALL[@]}" --decode
  bench medium_avlm_decode 240 specs/tiny_avlm.mimo "${MEDIUM[@]}" --decode
fi

"$NODE" "$WORK/summary.mjs" "$OUT" "$WORK"
summary=$?
say "done in $(($(date +%s) - started)) s; results in $OUT"
exit "$summary"
