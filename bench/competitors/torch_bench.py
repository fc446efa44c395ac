#!/usr/bin/python3
"""PyTorch CPU side of `npm run bench`: the same workloads as bench/run.ts, printed as one JSON line.

usage: torch_bench.py <quick 0|1> <mnist-prefix-or-empty> [warm-up samples, default 60000: a whole epoch]
Data: uniform random inputs and random one-hot targets (W1, W2); W3 reads MNIST as raw float32 /
label files written by bench/run.ts (path prefix in argv[2]) or is skipped.
Threads: every workload is timed with 1 and with 2 threads (torch.set_num_threads, and
openblas_set_num_threads when the BLAS is OpenBLAS, whose pthread pool torch does not steer when
built with a generic BLAS) and the best is kept; `threads_used` says which count won.
BLAS: the library that actually serves sgemm_ to libtorch_cpu (found with dladdr, since Debian's
build reports BLAS_INFO=generic and takes whatever libblas.so.3 the alternatives system points
to): reported as `blas` = {name: 'OpenBLAS' | 'reference BLAS' | 'BLIS' | 'MKL' | ..., library, config}.
"""
import json, os, sys, time
import numpy as np
import torch
import torch.nn as nn
from torch_blas import BLAS, set_threads


THREADS = [1, 2] if (os.cpu_count() or 1) >= 2 else [1]


def best_over_threads(key, measure):
    """Times `measure()` once per thread count; records and returns the best."""
    best, won = 0.0, 1
    for n in THREADS:
        set_threads(n)
        v = measure()
        out['by_threads'].setdefault(str(n), {})[key] = v
        if v > best:
            best, won = v, n
    out['threads_used'][key] = won
    return best


quick = sys.argv[1] == '1' if len(sys.argv) > 1 else False
mnist_prefix = sys.argv[2] if len(sys.argv) > 2 else ''
# the warm-up epoch's samples, as every library gets them (WARMUP_SAMPLES in bench/competitors/common.ts)
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
torch.manual_seed(1)
out = {'version': torch.__version__, 'threads': THREADS, 'blas': BLAS, 'by_threads': {}, 'threads_used': {},
       'env': {k: os.environ.get(k) for k in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')}}


def train_epoch(model, opt, x, y, batch):
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    perm = torch.randperm(n)
    for i in range(0, n, batch):
        idx = perm[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


def samples_per_s(make, x, y, batch, rounds):
    best = 0.0
    for _ in range(rounds):
        model, opt = make()
        train_epoch(model, opt, x[:warmup], y[:warmup], batch)  # warm-up
        t0 = time.perf_counter()
        train_epoch(model, opt, x, y, batch)
        best = max(best, x.shape[0] / (time.perf_counter() - t0))
    return best


def mlp():
    m = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return m


rounds = 1 if quick else 2
n1 = 2000 if quick else 10000
x1 = torch.rand(n1, 784)
y1 = torch.randint(0, 10, (n1,))
# CrossEntropyLoss on logits = softmax + categorical cross-entropy
def make_w1():
    m = mlp(); return m, torch.optim.SGD(m.parameters(), lr=0.1)
out['w1'] = best_over_threads('w1', lambda: samples_per_s(make_w1, x1, y1, 64, rounds))

n2 = 500 if quick else 5000
x2 = torch.rand(n2, 1, 28, 28)
y2 = torch.randint(0, 10, (n2,))
def make_w2():
    m = nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 12 * 12, 10))
    return m, torch.optim.SGD(m.parameters(), lr=0.1)
out['w2'] = best_over_threads('w2', lambda: samples_per_s(make_w2, x2, y2, 64, rounds))

# The LeNet CNN of `nabla train --model cnn`, on the W2 inputs, sparse labels, Adam 0.002.
def make_lenet():
    m = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return m, torch.optim.Adam(m.parameters(), lr=0.002)
out['lenet'] = best_over_threads('lenet', lambda: samples_per_s(make_lenet, x2, y2, 64, rounds))

if mnist_prefix:
    xs = np.fromfile(mnist_prefix + '.x.f32', dtype=np.float32)
    ys = np.fromfile(mnist_prefix + '.y.f32', dtype=np.float32)
    x3 = torch.from_numpy(xs.reshape(-1, 784).copy())
    y3 = torch.from_numpy(ys.astype(np.int64))
    def make_w3():
        m = mlp(); return m, torch.optim.Adam(m.parameters(), lr=0.002)
    out['w3'] = best_over_threads('w3', lambda: samples_per_s(make_w3, x3, y3, 64, 1))
    # W1 on MNIST's own pixels (nabla's gemm skips their zeros; a dense BLAS does not care)
    out['w1_mnist'] = best_over_threads('w1Mnist', lambda: samples_per_s(make_w1, x3[:n1], y3[:n1], 64, rounds))

model = mlp()
xi = torch.rand(10000 if not quick else 2000, 784)


def infer(xi=xi):
    with torch.no_grad():
        model(xi[:1000])
        best = 0.0
        for _ in range(3 if quick else 8):
            t0 = time.perf_counter()
            for i in range(0, xi.shape[0], 1000):
                torch.softmax(model(xi[i:i + 1000]), dim=1)
            best = max(best, xi.shape[0] / (time.perf_counter() - t0))
        return best


out['w1_infer'] = best_over_threads('w1Infer', infer)
if mnist_prefix:
    out['w1_infer_mnist'] = best_over_threads('w1InferMnist', lambda: infer(x3[:xi.shape[0]].contiguous()))


def sgemm(s):
    a = torch.randn(s, s); b = torch.randn(s, s)
    torch.mm(a, b)
    reps = max(1, round((2e8 if quick else 1e9) / (2 * s ** 3)))
    best = 0.0
    for _ in range(3 if quick else 5):
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        best = max(best, 2 * s ** 3 * reps / (time.perf_counter() - t0) / 1e9)
    return best


out['sgemm'] = {str(s): best_over_threads('sgemm%d' % s, lambda s=s: sgemm(s)) for s in (256, 512, 1024)}

print(json.dumps(out))
