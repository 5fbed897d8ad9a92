#!/usr/bin/env bash
# One interleaved round: NumPy/OpenBLAS (SkylakeX core, 2 threads), ours default (AVX-512), ours AVX2 forced, base.
BENCH=${BENCH:-$(git rev-parse --show-toplevel)/.build/release/bench}
BASE=${BASE:-/tmp/avx512-base/.build/release/bench}
SHAPES=${SHAPES:-"1024:1024:1024:- 64:30720:147:- 64:7680:576:- 128:1920:1152:- 256:480:2304:- 512:120:4608:- 64:576:7680:B 512:4608:120:B 576:7680:64:A 4608:120:512:A"}
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /work/venv/bin/python $(dirname "$0")/np_gemm.py $SHAPES
for s in $SHAPES; do
  IFS=: read m n k t <<< "$s"
  extra=""; [ "$t" = A ] && extra="--transpose-a"; [ "$t" = B ] && extra="--transpose-b"
  for v in "avx512 $BENCH auto" "avx2 $BENCH avx2" "base $BASE auto"; do
    set -- $v; [ -x $2 ] || continue
    MD2_KERNELS=$3 $2 gemm --m $m --n $n --k $k $extra --threads 2 --samples 9 | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); f=2*$m*$n*$k; print(d['shape'], '$1', 'median', d['gflops'], 'best', round(f/d['min_s']/1e9,1))"
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
