// Shared shapes of the benchmark: what each library's adapter receives and returns.

/** Inputs for one run: row-major float32 data, one-hot targets and class labels. */
export interface Data {
  /** [n, 784] in [0, 1) */
  x: Float32Array;
  /** [n, 10] one-hot */
  y: Float32Array;
  /** [n] class index */
  labels: Int32Array;
  n: number;
}

/** A library under test. Every method returns samples/s (or GFLOP/s for sgemm). Missing = not run. */
export interface Adapter {
  name: string;
  /** 'skipped: why' entries per workload that cannot run */
  notes: Record<string, string>;
  w1?(d: Data): Promise<number>;
  /** W1 as a custom training loop (ops + variableGrads + SGD; bench/custom-loop.ts) */
  w1Custom?(d: Data): Promise<number>;
  /** W1 as a custom loop calling the library's Dense layers on the tape (nabla only) */
  w1Layers?(d: Data): Promise<number>;
  w2?(d: Data): Promise<number>;
  w3?(d: Data): Promise<number>;
  /** the LeNet CNN of `nabla train --model cnn` (Adam 0.002, sparse labels, batch 64) */
  lenet?(d: Data): Promise<number>;
  w1Infer?(d: Data): Promise<number>;
  /** W1 trained on MNIST's first images (its pixels are 81% zeros) instead of random ones */
  w1Mnist?(d: Data): Promise<number>;
  /** W1 inference on MNIST's first images */
  w1InferMnist?(d: Data): Promise<number>;
  sgemm?(size: number): Promise<number>;
  /** Largest sample counts this adapter gets per workload (slow libraries get a subset; samples/s stays comparable). */
  caps?: Partial<Record<'w1' | 'w1Custom' | 'w1Layers' | 'w2' | 'w3' | 'lenet', number>>;
  dispose?(): Promise<void>;
}

/**
 * Samples of the warm-up epoch every library trains before its timed epoch (the first samples of
 * the same data, capped at the data's size): 60,000, more than any workload has, so the warm-up is
 * a whole epoch of the timed data. Users train for many epochs, and the first one pays for V8's
 * optimising compiler, nabla's thread planner settling and each library's caches (nabla's W1 on 2
 * threads: its first epoch after 50 warm-up steps ran at 69k samples/s, its later epochs at 106k).
 * torch_bench.py receives it as an argument.
 */
export const WARMUP_SAMPLES = 60000;

export function slice(d: Data, n: number): Data {
  n = Math.min(n, d.n);
  return { x: d.x.subarray(0, n * 784), y: d.y.subarray(0, n * 10), labels: d.labels.subarray(0, n), n };
}

export const now = (): number => performance.now() / 1000;
