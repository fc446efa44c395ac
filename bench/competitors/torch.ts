// PyTorch CPU for `npm run bench`: runs bench/competitors/torch_bench.py in a child process with the
// best BLAS the machine has (see bench/setup.sh) and labels the row by the BLAS that served sgemm.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Data, WARMUP_SAMPLES } from './common.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';

/** What torch_bench.py reports about the BLAS behind torch.mm. */
export interface TorchBlas { name: string; library: string; config: string; torch_blas_info: string }

/** torch_bench.py's JSON line. */
export interface TorchResult {
  version: string; threads: number[]; blas: TorchBlas;
  by_threads: Record<string, Record<string, number>>; threads_used: Record<string, number>;
  w1: number; w2: number; w3?: number; lenet: number; w1_infer: number; sgemm: Record<string, number>;
  /** W1 training and inference on MNIST's first images (when MNIST was given) */
  w1_mnist?: number; w1_infer_mnist?: number;
}

/**
 * The row's name: PyTorch with the BLAS that served it, e.g. "PyTorch 1.13.0a0 (OpenBLAS 0.3.21)".
 * A reference-BLAS PyTorch is "PyTorch (reference BLAS) <version>", never "PyTorch" alone, and an
 * unidentified BLAS says so.
 */
export function torchLabel(version: string, blas: TorchBlas): string {
  if (blas.name === 'reference BLAS') return `PyTorch (reference BLAS) ${version}`;
  if (blas.name === 'OpenBLAS') {
    const v = /OpenBLAS (\d+\.\d+\.\d+)/.exec(blas.config)?.[1];
    return `PyTorch ${version} (OpenBLAS${v ? ` ${v}` : ''})`;
  }
  return `PyTorch ${version} (${blas.name === 'unknown' ? 'BLAS unknown' : blas.name})`;
}

/**
 * The environment of the PyTorch child: this process's, without OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE (a shared machine image may pin OpenBLAS to a slower kernel with them; the
 * child gets OpenBLAS's own CPU detection). Only that child's environment changes.
 */
export function torchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _c, OPENBLAS_L2_SIZE: _l, ...rest } = env;
  return rest;
}

/** The reason PyTorch cannot run here, or null when /usr/bin/python3 imports torch. */
export function torchMissing(): string | null {
  if (!existsSync(PY)) return `${PY} is missing (run bench/setup.sh as root)`;
  return spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore', env: torchEnv() }).status === 0 ? null : `${PY} -c "import torch" fails (run bench/setup.sh as root)`;
}

/**
 * Runs torch_bench.py (W1, W2, W3 on `mnist`'s first samples when given, W1 inference, sgemm), each
 * workload with 1 and 2 threads, keeping the best.
 * @throws Error when the child fails or prints no JSON.
 */
export function runTorch(quick: boolean, mnist: Data | undefined): TorchResult {
  const tmp = join(tmpdir(), `nabla-bench-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    let prefix = '';
    if (mnist) {
      const n = Math.min(mnist.n, quick ? 5000 : 60000);
      prefix = join(tmp, 'mnist');
      writeFileSync(prefix + '.x.f32', mnist.x.subarray(0, n * 784));
      writeFileSync(prefix + '.y.f32', Float32Array.from(mnist.labels.subarray(0, n)));
    }
    const out = execFileSync(PY, [join(HERE, 'torch_bench.py'), quick ? '1' : '0', prefix, String(WARMUP_SAMPLES)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20, env: torchEnv() });
    return JSON.parse(out.trim().split('\n').pop()!) as TorchResult;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
