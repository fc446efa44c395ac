#!/usr/bin/env python3
"""The PyTorch twin of `nabla example char-rnn`, for the closing comparison of issue 14.

Same data split (Tiny Shakespeare, first 90% of the characters for training, the rest for
validation), same vocabulary (ids 0 = padding, 1 = OOV, then characters by decreasing frequency,
ties in code-point order), same model (Embedding(V, 64) -> LSTM(256) -> Linear(V), Keras's
initialisation: Glorot-uniform input weights, orthogonal recurrent weights, forget bias 1) and
training (non-overlapping windows of 50 shuffled each epoch, batches of 32, Adam 0.01, each
gradient tensor clipped to norm 5), for a given wall time. Validation cross-entropy (nats and
bits per character, mean over every step of the non-overlapping validation windows) is printed
after each epoch and when the time runs out.

Usage: /usr/bin/python3 scripts/char-rnn-torch.py [--minutes 10] [--threads 2] [--data data/tinyshakespeare/input.txt]
"""
import argparse
import math
import os
import time
from collections import Counter

import torch
import torch.nn as nn

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--data', default=os.path.join(os.path.dirname(__file__), '..', 'data', 'tinyshakespeare', 'input.txt'))
p.add_argument('--minutes', type=float, default=10.0)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--units', type=int, default=256)
p.add_argument('--embedding', type=int, default=64)
p.add_argument('--seq', type=int, default=50)
p.add_argument('--batch', type=int, default=32)
p.add_argument('--lr', type=float, default=0.01)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--eval-every', type=int, default=0, help='also evaluate every n steps (default: once per epoch)')
a = p.parse_args()
torch.manual_seed(a.seed)
torch.set_num_threads(a.threads)

text = open(a.data, encoding='utf-8').read()
cut = int(len(text) * 0.9)
train_text, val_text = text[:cut], text[cut:]
counts = Counter(train_text)
vocab = ['', '[UNK]'] + sorted(counts, key=lambda c: (-counts[c], c))
ids = {c: i for i, c in enumerate(vocab)}
V, T = len(vocab), a.seq


def windows(s):
    x = torch.tensor([ids.get(c, 1) for c in s], dtype=torch.long)
    n = (len(x) - 1 - T) // T + 1
    starts = torch.arange(n) * T
    idx = starts[:, None] + torch.arange(T)[None, :]
    return x[idx], x[idx + 1]


xt, yt = windows(train_text)
xv, yv = windows(val_text)


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, a.embedding)
        self.lstm = nn.LSTM(a.embedding, a.units, batch_first=True)
        self.out = nn.Linear(a.units, V)
        nn.init.uniform_(self.emb.weight, -0.05, 0.05)
        u = a.units
        nn.init.xavier_uniform_(self.lstm.weight_ih_l0)
        for g in range(4):
            nn.init.orthogonal_(self.lstm.weight_hh_l0.data[g * u:(g + 1) * u])
        nn.init.zeros_(self.lstm.bias_ih_l0); nn.init.zeros_(self.lstm.bias_hh_l0)
        self.lstm.bias_ih_l0.data[u:2 * u] = 1.0  # torch gate order i, f, g, o: forget block
        nn.init.xavier_uniform_(self.out.weight); nn.init.zeros_(self.out.bias)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(h)


model = CharLstm()
opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; V={V}, {len(xt)} training windows of {T}, '
      f'{sum(p.numel() for p in model.parameters()):,} parameters; budget {a.minutes} min', flush=True)


def validate():
    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(xv), 64):
            out = model(xv[i:i + 64])
            total += nn.functional.cross_entropy(out.reshape(-1, V), yv[i:i + 64].reshape(-1), reduction='sum').item()
            n += yv[i:i + 64].numel()
    model.train()
    return total / n


start = time.time()
budget = a.minutes * 60
step, epoch, done = 0, 0, False
while not done:
    epoch += 1
    perm = torch.randperm(len(xt))
    for i in range(0, len(xt), a.batch):
        b = perm[i:i + a.batch]
        opt.zero_grad()
        loss = loss_fn(model(xt[b]).reshape(-1, V), yt[b].reshape(-1))
        loss.backward()
        for prm in model.parameters():
            torch.nn.utils.clip_grad_norm_([prm], 5.0)
        opt.step()
        step += 1
        if a.eval_every and step % a.eval_every == 0:
            v = validate()
            print(f'step {step}: val {v:.4f} nats/char = {v / math.log(2):.4f} bits/char after {(time.time() - start) / 60:.2f} min', flush=True)
        if time.time() - start >= budget:
            done = True
            break
    v = validate()
    label = f'epoch {epoch}' if not done else f'stopped in epoch {epoch} at step {step}'
    print(f'{label}: val {v:.4f} nats/char = {v / math.log(2):.4f} bits/char (train {loss.item():.4f}) after {(time.time() - start) / 60:.2f} min, {step} steps', flush=True)
