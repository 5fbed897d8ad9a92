#!/usr/bin/env bash
# One interleaved round per workload: PyTorch (original Monodepth2 code, 2 threads), ours with the
# dispatch default (AVX-512 here), ours with AVX2 forced, and main's bench before this branch (base).
BENCH=${BENCH:-$(git rev-parse --show-toplevel)/.build/release/bench}
BASE=${BASE:-/tmp/avx512-base/.build/release/bench}
torch() { (cd $(git rev-parse --show-toplevel)/../shared/bench && PYTHONPATH=${MD2_ORIGINAL:-/work/md2orig}:../reference/torch /work/venv/bin/python torch_baseline.py --workload "$1" 2>/dev/null | python3 -c "import json,sys; d=json.loads(sys.stdin.read().strip().splitlines()[-1]); print('$1', 'torch', 'median', d['median_s'], 'min', d['min_s'], 'rss', d.get('peak_rss_mb'))"); }
ours() { local label=$1 bin=$2 isa=$3 wl=$4; shift 4; MD2_KERNELS=$isa $bin "$@" --threads 2 | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('$wl', '$label', 'median', d['median_s'], 'min', d['min_s'], 'rss', d['peak_rss_mb'])"; }
CONV="conv --batch 4 --cin 64 --cout 64 --height 96 --width 320 --kernel 3 --stride 1"
INFER="infer --height 192 --width 640 --batch 1"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for wl in ${WORKLOADS:-conv_layer1 conv_layer1_bwd infer640}; do
  case $wl in conv_layer1) args="$CONV";; conv_layer1_bwd) args="$CONV --backward";; infer640) args="$INFER";; esac
  torch $wl
  ours avx512 $BENCH auto $wl $args
  ours avx2 $BENCH avx2 $wl $args
  [ -x $BASE ] && ours base $BASE auto $wl $args
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
