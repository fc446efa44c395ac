#!/bin/sh
# One-time set-up of the PyTorch row of `npm run bench`, as root (Debian/Ubuntu):
#
#   sudo sh bench/setup.sh
#
# Installs Debian's PyTorch (python3-torch, CPU) and the pthread build of OpenBLAS
# (libopenblas0-pthread). Debian's PyTorch is built against the generic BLAS interface and calls
# whatever libblas.so.3 the alternatives system points to: without OpenBLAS that is the reference
# BLAS (libblas3, a few GFLOP/s), which is not how anyone runs PyTorch. Installing OpenBLAS makes
# it the automatic choice (higher priority); this script checks that and says which BLAS PyTorch
# now uses. `npm run bench` itself never needs root: without PyTorch it skips that row, and with
# the reference BLAS it labels the row "PyTorch (reference BLAS)".
set -eu
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/setup.sh: run as root (it installs Debian packages): sudo sh bench/setup.sh" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update || echo "bench/setup.sh: apt-get update failed; installing from the cached package lists" >&2
apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0-pthread
# OpenBLAS registers libblas.so.3 with a higher priority than the reference BLAS; put the link
# back to automatic in case someone pinned it manually.
arch_triplet="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
for alt in "libblas.so.3-$arch_triplet" "liblapack.so.3-$arch_triplet"; do
  update-alternatives --auto "$alt" >/dev/null 2>&1 || true
done
update-alternatives --display "libblas.so.3-$arch_triplet" 2>/dev/null | sed -n '1,2p' || true
# Which BLAS serves torch.mm now (the same probe the bench uses), with OpenBLAS's own CPU detection.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 - "$(dirname "$0")/competitors/torch_bench.py" <<'PY'
import sys
src = open(sys.argv[1]).read().split('BLAS, OPENBLAS = blas_info()')[0]
sys.argv = ['torch_bench.py', '1', '']
exec(src)
info = blas_info()[0]
print('PyTorch', torch.__version__, 'uses', info['name'], '-', info['config'] or info['library'])
PY
