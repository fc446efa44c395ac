#!/usr/bin/python3
"""PyTorch CPU side of the character-LSTM rows of `npm run bench` (bench/recurrent.ts), one JSON line.

usage: torch_rnn.py <steps>
Model (the same as bench/recurrent.ts builds in nabla): Embedding(65, 64) -> nn.LSTM(64, 256,
num_layers=2, batch_first=True) -> Linear(256, 65) per step, CrossEntropyLoss (softmax +
categorical cross-entropy over every step), Adam 0.002, batch 64, sequence length 100, random
character ids. One warm-up step, then `steps` timed steps; characters/s = 64 * 100 / step time.
Threads: timed with 1 and with 2 threads (torch_blas.set_threads), the best kept; `threads_used`
says which count won. `blas`: the library behind torch.mm (torch_blas.py).
"""
import json, os, sys, time
import torch
import torch.nn as nn
from torch_blas import BLAS, set_threads

V, E, U, B, T = 65, 64, 256, 64, 100


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, U, num_layers=2, batch_first=True)
        self.out = nn.Linear(U, V)

    def forward(self, x):
        h, _ = self.lstm(self.embed(x))
        return self.out(h)


def chars_per_s(steps):
    torch.manual_seed(1)
    model = CharLstm()
    opt = torch.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, V, (B, T))
    y = torch.randint(0, V, (B, T))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x).reshape(B * T, V), y.reshape(B * T))
        loss.backward()
        opt.step()

    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return B * T * steps / (time.perf_counter() - t0)


steps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
threads = [1, 2] if (os.cpu_count() or 1) >= 2 else [1]
by_threads = {}
for n in threads:
    set_threads(n)
    by_threads[str(n)] = chars_per_s(steps)
won = max(by_threads, key=by_threads.get)
print(json.dumps({'version': torch.__version__, 'blas': BLAS, 'threads': threads, 'by_threads': by_threads,
                  'threads_used': int(won), 'chars_per_s': by_threads[won], 'steps': steps}))
