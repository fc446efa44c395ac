/**
 * The generated model.py: a torch.nn.Module computing what the nabla model computes, taking and
 * returning tensors in nabla's layout (images NHWC; it permutes to NCHW inside, and back to NHWC
 * before a Flatten so the following Linear sees nabla's row order), with its state_dict keys as
 * torch-layout.ts names them. TensorFlow's 'same' padding is Conv2d's `padding` where symmetric
 * and an explicit F.pad where the extra cell goes bottom/right; BatchNorm keeps nabla's epsilon
 * and momentum (PyTorch's momentum = 1 - Keras's: 0.01 for 0.99), on a sequence's features by
 * transposing [batch, T, F] to [batch, F, T] for nn.BatchNorm1d. TimeDistributed folds time into
 * the batch around its inner layer (not needed for Dense, Activation, Dropout, LeakyReLU, which
 * act on the last axis). It also defines
 * load_safetensors / save_safetensors in plain Python (Debian's Python has no `safetensors`
 * package) and load_model().
 */
import type { ActivationName } from '../kernels/activation-registry.js';
import { axis } from '../nn/layers/window.js';
import { timeDistributedInner, unsupportedLayer, type LayerView } from './model-view.js';
import { recurrentPy, TORCH_RECURRENT } from './torch-recurrent.js';

/** A Python float literal. */
const num = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/** The Python statement applying an activation to x (nchw: softmax over dim 1), or null for 'linear'. */
function activationPy(a: ActivationName, nchw: boolean, alpha?: number): string | null {
  const table: Record<ActivationName, string | null> = {
    linear: null, step: '(x >= 0).to(x.dtype)', sigmoid: 'torch.sigmoid(x)', tanh: 'torch.tanh(x)', relu: 'F.relu(x)',
    leakyRelu: `F.leaky_relu(x, ${num(alpha ?? 0.3)})`, softmax: `F.softmax(x, dim=${nchw ? 1 : -1})`, elu: alpha === undefined ? 'F.elu(x)' : `F.elu(x, ${num(alpha)})`, selu: 'F.selu(x)',
    softplus: 'F.softplus(x)', softsign: 'F.softsign(x)', swish: 'F.silu(x)', gelu: 'F.gelu(x)', geluTanh: "F.gelu(x, approximate='tanh')",
    relu6: 'F.relu6(x)', hardSigmoid: 'torch.clamp(0.2 * x + 0.5, 0.0, 1.0)',
  };
  const e = table[a];
  return e === null ? null : `x = ${e}`;
}

/** [left, right, top, bottom] of TensorFlow's padding over an NHWC shape (F.pad's order for the last two axes). */
function pads(inShape: readonly number[], k: readonly number[], s: readonly number[], padding: string): [number, number, number, number] {
  const h = axis(inShape[1]!, k[0]!, s[0]!, padding as 'same'), w = axis(inShape[2]!, k[1]!, s[1]!, padding as 'same');
  return [w.padBefore, w.padTotal - w.padBefore, h.padBefore, h.padTotal - h.padBefore];
}

const tuple = (v: readonly number[]): string => `(${v.join(', ')})`;

/** The lines generated so far and the layout of x in forward (true: an image permuted to NCHW). */
interface PyState { init: string[]; fwd: string[]; nchw: boolean }

const toNchw = (st: PyState): void => { if (!st.nchw) { st.fwd.push('x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW'); st.nchw = true; } };
const toNhwc = (st: PyState): void => { if (st.nchw) { st.fwd.push('x = x.permute(0, 2, 3, 1)  # NCHW -> NHWC'); st.nchw = false; } };

/** Inner layers of TimeDistributed that act on the last axis of any rank, so need no folding. */
const LAST_AXIS = new Set(['Dense', 'Activation', 'Dropout', 'LeakyReLU', 'ELU']);

/**
 * Appends one layer's constructor and forward lines (`m` = 'self.<module>').
 * @throws Error naming the layer for a class with no PyTorch form here.
 */
function layerPy(l: LayerView, m: string, st: PyState): void {
  const c = l.config as Record<string, unknown>, { init, fwd } = st;
  const act = (a: ActivationName, alpha?: number) => { const s = activationPy(a, st.nchw, alpha); if (s) fwd.push(s); };
  if (TORCH_RECURRENT.has(l.className)) { const r = recurrentPy(l, m); init.push(r.init); fwd.push(...r.fwd); return; }
  switch (l.className) {
    case 'Embedding':
      init.push(`${m} = nn.Embedding(${c.inputDim}, ${c.outputDim})`); fwd.push(`x = ${m}(x.long())`); break;
    case 'TimeDistributed': { // nabla: the inner layer on [batch T, ...rest]
      const view = timeDistributedInner(l);
      if (view.className === 'Masking') throw new Error(`exportTorch: TimeDistributed '${l.name}' wraps Masking, which has no PyTorch form here (masks are not exported)`);
      toNhwc(st);
      if (LAST_AXIS.has(view.className)) { layerPy({ ...view, inShape: l.inShape, outShape: l.outShape }, m, st); break; }
      fwd.push(`x = x.reshape(-1, ${view.inShape.slice(1).join(', ')})  # TimeDistributed: time folded into the batch`);
      layerPy(view, m, st);
      toNhwc(st);
      fwd.push(`x = x.reshape(-1, ${l.inShape[1]}, *x.shape[1:])  # time unfolded`);
      break;
    }
    case 'Dense':
      toNhwc(st);
      init.push(`${m} = nn.Linear(${l.inShape[l.inShape.length - 1]}, ${c.units}, bias=${c.useBias ? 'True' : 'False'})`);
      fwd.push(`x = ${m}(x)`); act(c.activation as ActivationName); break;
    case 'Conv2D': {
      toNchw(st);
      const k = c.kernelSize as number[], s = c.strides as number[], [pl, pr, pt, pb] = pads(l.inShape, k, s, c.padding as string);
      const symmetric = pl === pr && pt === pb;
      if (!symmetric) fwd.push(`x = F.pad(x, (${pl}, ${pr}, ${pt}, ${pb}))  # TensorFlow 'same': the extra cell bottom/right`);
      init.push(`${m} = nn.Conv2d(${l.inShape[3]}, ${c.filters}, kernel_size=${tuple(k)}, stride=${tuple(s)}, padding=${symmetric ? tuple([pt, pl]) : '(0, 0)'}, bias=${c.useBias ? 'True' : 'False'})`);
      fwd.push(`x = ${m}(x)`); act(c.activation as ActivationName); break;
    }
    case 'MaxPooling2D': case 'AveragePooling2D': {
      toNchw(st);
      const k = c.poolSize as number[], s = c.strides as number[], p = pads(l.inShape, k, s, c.padding as string), padded = p.some((v) => v > 0);
      if (l.className === 'MaxPooling2D') {
        if (padded) fwd.push(`x = F.pad(x, ${tuple(p)}, value=float('-inf'))  # padded cells never win`);
        fwd.push(`x = F.max_pool2d(x, ${tuple(k)}, ${tuple(s)})`);
      } else if (padded) // the mean over the window's inside cells only: window sums over padded zeros / inside-cell counts
        fwd.push(`x = F.avg_pool2d(F.pad(x, ${tuple(p)}), ${tuple(k)}, ${tuple(s)}) / F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), ${tuple(p)}), ${tuple(k)}, ${tuple(s)})`);
      else fwd.push(`x = F.avg_pool2d(x, ${tuple(k)}, ${tuple(s)})`);
      break;
    }
    case 'BatchNormalization': { // PyTorch normalises dim 1: images go NCHW, a sequence [batch, T, F] is transposed, rank 5 has its last axis moved
      const rank = l.inShape.length;
      if (rank > 5) throw new Error(`exportTorch: BatchNormalization '${l.name}' on rank-${rank} input is not supported (rank 2 to 5)`);
      if (rank === 4) toNchw(st);
      init.push(`${m} = nn.BatchNorm${rank === 5 ? 3 : rank === 4 ? 2 : 1}d(${l.inShape[rank - 1]}, eps=${num(c.epsilon as number)}, momentum=${num(Number((1 - (c.momentum as number)).toPrecision(12)))}, affine=${c.scale || c.center ? 'True' : 'False'})`);
      if (c.scale !== c.center) init.push(`${m}.${c.scale ? 'bias' : 'weight'}.requires_grad_(False)  # nabla's layer has no ${c.scale ? 'center' : 'scale'}`);
      fwd.push(rank === 3 ? `x = ${m}(x.transpose(1, 2)).transpose(1, 2)  # features on dim 1` : rank === 5 ? `x = ${m}(x.movedim(-1, 1)).movedim(1, -1)  # channels on dim 1` : `x = ${m}(x)`);
      break;
    }
    case 'Dropout': init.push(`${m} = nn.Dropout(p=${num(c.rate as number)})`); fwd.push(`x = ${m}(x)`); break;
    case 'Activation': act(c.activation as ActivationName); break;
    case 'LeakyReLU': act('leakyRelu', c.alpha as number); break;
    case 'ELU': act('elu', c.alpha as number); break;
    case 'Flatten': toNhwc(st); fwd.push('x = x.flatten(1)  # rows in nabla\'s order (h, w, c)'); break;
    default: throw unsupportedLayer('exportTorch', l);
  }
}

/**
 * The source of model.py for the layers (with their Python module names).
 * @throws Error naming the layer for a class with no PyTorch form here.
 */
export function modelPy(modelName: string, inputShape: readonly number[], layers: LayerView[], modules: string[]): string {
  const st: PyState = { init: [], fwd: [], nchw: false }, { init, fwd } = st;
  layers.forEach((l, i) => layerPy(l, `self.${modules[i]}`, st));
  toNhwc(st);
  const body = (lines: string[]) => (lines.length ? lines : ['pass']).map((s) => `        ${s}`).join('\n');
  return `"""The nabla model '${modelName}' as a torch.nn.Module (generated by nabla's exportTorch; edit freely).

Input: [batch, ${inputShape.join(', ')}] in nabla's layout (images NHWC); output in nabla's layout too.
Weights: model.safetensors beside this file, with this module's state_dict keys (load_model()).
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class NablaModel(nn.Module):
    def __init__(self):
        super().__init__()
${body(init)}

    def forward(self, x):
${body([...fwd, 'return x'])}


_DTYPES = {'F32': (torch.float32, 4), 'F64': (torch.float64, 8), 'I64': (torch.int64, 8)}


def load_safetensors(path):
    """Reads a safetensors file (F32, F64, I64 tensors) into a dict of CPU tensors, without the safetensors package."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for key, info in header.items():
        if key == '__metadata__':
            continue
        dtype, size = _DTYPES[info['dtype']]
        begin, end = info['data_offsets']
        t = torch.frombuffer(bytearray(data[8 + n + begin:8 + n + end]), dtype=dtype) if end > begin else torch.zeros(0, dtype=dtype)
        out[key] = t.reshape(info['shape'])
    return out


def save_safetensors(tensors, path):
    """Writes a dict of tensors (float32, float64, int64) as safetensors, without the safetensors package."""
    names = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        b = t.detach().cpu().contiguous().numpy().tobytes()
        header[key] = {'dtype': names[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def load_model(path=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'model.safetensors')):
    """NablaModel with the exported weights, in eval mode (BatchNorm uses its running statistics, Dropout is off)."""
    model = NablaModel()
    result = model.load_state_dict(load_safetensors(path), strict=False)
    missing = [k for k in result.missing_keys if not k.endswith('num_batches_tracked')]
    if missing or result.unexpected_keys:
        raise ValueError(f'{path}: missing {missing}, unexpected {result.unexpected_keys}')
    return model.eval()
`;
}
