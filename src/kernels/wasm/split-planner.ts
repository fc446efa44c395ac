/**
 * How a threaded kernel call runs, decided per shape from measured costs: on the calling thread
 * alone, or shared with the workers by one of the kernel's splits (gemm: column or row bands of
 * C; im2col / col2im: row bands / image groups). Every split computes each output element
 * exactly as one thread would, so this choice changes the speed only, never a result.
 *
 * The planner keeps, per shape (a string key such as 'gemm00:64x128x784:2'), a running cost (ms
 * per call, as the pool measures it: the call's own time, waiting for the workers included) of each
 * candidate split. It first tries every candidate {@link MIN_SAMPLES} times
 * (cheapest predicted first: the start-up calibration's prior), then runs the cheapest, and tries
 * each other candidate again {@link EXPLORE_EVERY} calls later, then after twice as many calls
 * each time it is still not the cheapest (at most {@link MAX_EXPLORE_EVERY}, at once when it costs
 * {@link FAR_BEHIND} times the cheapest or more), so a choice
 * follows the machine when its load changes while a split that keeps losing costs almost
 * nothing (on a machine busier than its cores, one shared call can wait a whole time slice for a
 * descheduled worker). When the cheapest changes, the intervals start again from
 * EXPLORE_EVERY. Tries come in bursts of {@link BURST} calls, and the first call after a change
 * of split is not counted: it pays for the change (a worker waking from sleep onto a cold core),
 * which a split that is kept pays once, not every call. A sample far above the running cost is
 * clamped before it is averaged in.
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
export const MIN_SAMPLES = 4;
/** Calls of a shape after which a candidate other than the cheapest is first tried again. */
export const EXPLORE_EVERY = 64;
/** The longest interval between two tries of a candidate that keeps losing. */
export const MAX_EXPLORE_EVERY = 1024;
/** A split whose cost is this many times the best one's is tried again only every MAX_EXPLORE_EVERY calls. */
export const FAR_BEHIND = 1.5;
/** Consecutive calls of a shape that one try of a split runs. */
export const BURST = 3;
/** Weight of a new sample in the running cost. */
const EWMA = 0.25;
/** A sample is clamped to this many times the running cost before it is averaged in. */
const CLAMP = 3;

interface Arm { split: Split; ms: number; samples: number; interval: number; next: number }
interface Shape { arms: Arm[]; calls: number; best: Arm | null; last: Split | null; discard: boolean; burst: Arm | null; burstLeft: number }

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
      s = { arms: candidates.map((split) => ({ split, ms: this.prior(split, flops, threads), samples: 0, interval: EXPLORE_EVERY, next: 0 })), calls: 0, best: null, last: null, discard: false, burst: null, burstLeft: 0 };
      this.shapes.set(key, s);
    }
    s.calls++;
    const split = this.pick(s);
    s.discard = split !== s.last;
    s.last = split;
    return split;
  }

  /** The split for the next call of shape `s` (see the module comment). */
  private pick(s: Shape): Split {
    const untried = s.arms.filter((a) => a.samples < MIN_SAMPLES);
    if (untried.length > 0) return (untried.find((a) => a.split === s.last) ?? untried.reduce((p, q) => (q.ms < p.ms ? q : p))).split;
    if (s.burst !== null && s.burstLeft > 0) { s.burstLeft--; return s.burst.split; }
    const best = cheapest(s);
    if (best !== s.best) {
      s.best = best;
      for (const a of s.arms) { a.interval = EXPLORE_EVERY; a.next = s.calls + EXPLORE_EVERY; }
    }
    for (const a of s.arms) {
      if (a === best || s.calls < a.next) continue;
      // a split far behind goes straight to the longest interval: each try of it costs a step
      // (W1 on MNIST's pixels, whose sparse gemms lose 1.6-1.9x when shared)
      a.interval = cost(a) > FAR_BEHIND * cost(best) ? MAX_EXPLORE_EVERY : Math.min(2 * a.interval, MAX_EXPLORE_EVERY);
      a.next = s.calls + a.interval;
      s.burst = a;
      s.burstLeft = BURST - 1;
      return a.split;
    }
    return best.split;
  }

  /**
   * Records the cost of the last call of shape `key` (run with `split`): `ms` milliseconds
   * (ThreadPool passes the call's own time); NaN only drops the sample.
   */
  record(key: string, split: Split, ms: number): void {
    const s = this.shapes.get(key), arm = s?.arms.find((a) => a.split === split);
    if (s === undefined || arm === undefined) return;
    if (s.discard || !(ms >= 0)) { s.discard = false; return; }
    // the mean of the first samples (one unlucky first call must not bury a split for hundreds
    // of calls), then an exponentially weighted average that follows the machine
    if (arm.samples === 0) arm.ms = ms;
    else arm.ms += Math.max(EWMA, 1 / (arm.samples + 1)) * (Math.min(ms, CLAMP * arm.ms) - arm.ms);
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

/**
 * How much faster than the calling thread alone a shared split's own call must be to be chosen:
 * sharing has a cost its call time does not show (the output is left in the other core's cache
 * for the kernels that follow), so a split that barely wins its call loses the step (W2's
 * convolution windows: 0.92-0.98x on 2 threads when chosen on call time alone, 2026-12-02).
 */
export const SHARED_MARGIN = 1.15;

/** An arm's cost for the choice: its running call time, a shared one's counted SHARED_MARGIN times. */
const cost = (a: Arm) => (a.split === 'alone' ? a.ms : a.ms * SHARED_MARGIN);

/** The arm with the least cost. */
function cheapest(s: Shape): Arm {
  return s.arms.reduce((p, q) => (cost(q) < cost(p) ? q : p));
}
