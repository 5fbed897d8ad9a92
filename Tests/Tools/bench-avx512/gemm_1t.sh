#!/usr/bin/env bash
# Single-thread best-of comparison (less sensitive to a loaded machine than 2-thread medians).
BENCH=$(git rev-parse --show-toplevel)/.build/release/bench
SHAPES=${SHAPES:-"1024:1024:1024:- 64:7680:576:- 128:1920:1152:- 256:480:2304:- 512:120:4608:-"}
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /work/venv/bin/python $(dirname "$0")/np_gemm.py $SHAPES
for s in $SHAPES; do
  IFS=: read m n k t <<< "$s"
  for v in "avx512 auto" "avx2 avx2"; do set -- $v
    MD2_KERNELS=$2 $BENCH gemm --m $m --n $n --k $k --threads 1 --samples 15 | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); f=2*$m*$n*$k; print(d['shape'], '$1 1T', 'median', d['gflops'], 'best', round(f/d['min_s']/1e9,1))"
  done
done
