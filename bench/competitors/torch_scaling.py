#!/usr/bin/python3
"""PyTorch CPU side of `npm run bench -- --scaling` (bench/scaling.ts): W1 training throughput
against hidden width, batch size and threads, batch-1 inference latency, and the 2-thread sgemm
1024 GFLOP/s that the fractions of peak divide by. Prints one JSON line.

usage: torch_scaling.py '<json config>'
config: {"widths": [...], "batches": [...], "threads": [1, 2], "budget": FLOPs per point,
         "maxSteps": steps per point at most, "latencyCalls": calls}
W1 = 784-h relu - 10, cross-entropy on logits (softmax + categorical cross-entropy), SGD 0.1;
training FLOPs per sample = 4 * 794 h + 20 h (forward, weight gradients, the output layer's
input gradient). Inputs: uniform random, random labels.
"""
import json, sys, time
import torch
import torch.nn as nn
from torch_blas import BLAS, set_threads

cfg = json.loads(sys.argv[1])
torch.manual_seed(1)


def flops_per_sample(h):
    return 4 * 794 * h + 20 * h


def samples_for(h, batch):
    n = int(cfg['budget'] / flops_per_sample(h))
    return max(batch * 2, min(n, batch * cfg['maxSteps'], 60000))


def train_rate(h, batch, x, y):
    n = samples_for(h, batch)
    model = nn.Sequential(nn.Linear(784, h), nn.ReLU(), nn.Linear(h, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(count):
        perm = torch.randperm(count)
        for i in range(0, count, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()

    epoch(min(n, max(batch * 4, 256)))  # warm-up
    t0 = time.perf_counter()
    epoch(n)
    return n / (time.perf_counter() - t0)


def sgemm1024():
    a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)
    torch.mm(a, b)
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(4):
            torch.mm(a, b)
        best = max(best, 2 * 1024 ** 3 * 4 / (time.perf_counter() - t0) / 1e9)
    return best


def latency_us():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    x = torch.rand(1, 784)
    times = []
    with torch.no_grad():
        for _ in range(50):
            torch.softmax(model(x), dim=1)
        for _ in range(cfg['latencyCalls']):
            t0 = time.perf_counter()
            torch.softmax(model(x), dim=1)
            times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1e6


nmax = 60000
x = torch.rand(nmax, 784)
y = torch.randint(0, 10, (nmax,))
out = {'version': torch.__version__, 'blas': BLAS, 'width': {}, 'batch': {}, 'latencyUs': {}}
set_threads(2)
out['sgemm1024'] = sgemm1024()
for t in cfg['threads']:
    set_threads(t)
    out['width'][str(t)] = {str(h): train_rate(h, 64, x, y) for h in cfg['widths']}
    out['batch'][str(t)] = {str(b): train_rate(128, b, x, y) for b in cfg['batches']}
    out['latencyUs'][str(t)] = latency_us()
print(json.dumps(out))
