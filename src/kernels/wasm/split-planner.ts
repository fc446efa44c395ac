/**
 * How a threaded kernel call runs, decided per shape from measured costs: on the calling thread
 * alone, or shared with the workers by one of the kernel's splits (gemm: column or row bands of
 * C; im2col / col2im: row bands / image groups). Every split computes each output element
 * exactly as one thread would, so this choice changes the speed only, never a result.
 *
 * The planner keeps, per shape (a string key such as 'gemm:0,1,64,128,784'), a running cost (ms
 * per call) of each candidate split. It first tries every candidate {@link MIN_SAMPLES} times
 * (cheapest predicted first: the start-up calibration's prior), then runs the cheapest, and every
 * {@link EXPLORE_EVERY}-th call of that shape tries the others again in turn, so a choice follows
 * the machine when its load changes. A sample far above the running cost (a thread descheduled
 * for a time slice on a busy machine) is clamped before it is averaged in.
 */

/**
 * The calling thread alone, or a split shared with the workers: gemm's C in column or row bands
 * (im2col/col2im use 'rows' for theirs), or gemm's k in its own KC-blocks summed in block order
 * ('k', weight gradients A^T B: see worker-source.ts).
 */
export type Split = 'alone' | 'cols' | 'rows' | 'k';

/**
 * The pool's start-up calibration (measured once, when workers first run): the calling thread's
 * gemm speed on W1's forward product (64x784 by 784x128) and the fixed cost of sharing a job
 * (publishing it, waking a worker, waiting for its chunks) beyond the halved work.
 */
export interface ThreadCalibration {
  /** GFLOP/s of that gemm on the calling thread alone. */
  gflopsOneThread: number;
  /** Microseconds a shared job costs beyond (time alone) / threads; at least 0. */
  shareOverheadUs: number;
  /** Threads the calibration ran on (the calling one included). */
  threads: number;
}

/** Calls of each candidate before the planner trusts its costs. */
export const MIN_SAMPLES = 2;
/** Every this many calls of a shape, a candidate other than the cheapest is tried again. */
export const EXPLORE_EVERY = 32;
/** Weight of a new sample in the running cost. */
const EWMA = 0.25;
/** A sample is clamped to this many times the running cost before it is averaged in. */
const CLAMP = 3;

interface Arm { split: Split; ms: number; samples: number }
interface Shape { arms: Arm[]; calls: number; explored: number }

export class SplitPlanner {
  private readonly shapes = new Map<string, Shape>();
  /** The start-up calibration, or null before it ran. */
  calibration: ThreadCalibration | null = null;
  /** Test seam: when set, every call runs this split (where it is a candidate). */
  force: Split | null = null;

  /** Shapes seen so far, and how many of them currently run shared (for getBackendInfo). */
  summary(): { shapes: number; shared: number } {
    let shared = 0;
    for (const s of this.shapes.values()) if (cheapest(s).split !== 'alone') shared++;
    return { shapes: this.shapes.size, shared };
  }

  /**
   * The split to run this call of shape `key` with. `candidates` lists the splits possible for
   * it ('alone' first); `flops` is its work (the calibration's prior needs it), `threads` the
   * threads a shared run would use.
   */
  choose(key: string, candidates: readonly Split[], flops: number, threads: number): Split {
    if (this.force !== null && candidates.includes(this.force)) return this.force;
    let s = this.shapes.get(key);
    if (s === undefined) {
      s = { arms: candidates.map((split) => ({ split, ms: this.prior(split, flops, threads), samples: 0 })), calls: 0, explored: 0 };
      this.shapes.set(key, s);
    }
    s.calls++;
    const untried = s.arms.filter((a) => a.samples < MIN_SAMPLES);
    if (untried.length > 0) return untried.reduce((p, q) => (q.samples < p.samples || (q.samples === p.samples && q.ms < p.ms) ? q : p)).split;
    const best = cheapest(s);
    if (s.calls % EXPLORE_EVERY === 0 && s.arms.length > 1) {
      const others = s.arms.filter((a) => a !== best);
      return others[s.explored++ % others.length]!.split;
    }
    return best.split;
  }

  /** Records that a call of shape `key` with `split` took `ms` milliseconds. */
  record(key: string, split: Split, ms: number): void {
    const arm = this.shapes.get(key)?.arms.find((a) => a.split === split);
    if (arm === undefined) return;
    if (arm.samples === 0) arm.ms = ms;
    else arm.ms += EWMA * (Math.min(ms, CLAMP * arm.ms) - arm.ms);
    arm.samples++;
  }

  /** The predicted cost (ms) before any sample: from the calibration, else 0 (tried in order). */
  private prior(split: Split, flops: number, threads: number): number {
    const c = this.calibration;
    if (c === null) return 0;
    const alone = flops / (c.gflopsOneThread * 1e6);
    return split === 'alone' ? alone : alone / threads + c.shareOverheadUs / 1000;
  }
}

function cheapest(s: Shape): Arm {
  return s.arms.reduce((p, q) => (q.ms < p.ms ? q : p));
}
