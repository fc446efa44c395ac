// 1 thread against 2 (or N) threads for every workload, INTERLEAVED A/B/B/A round by round in one
// process: on a shared machine whose speed swings over minutes, one-shot runs of each
// configuration compare different moments, not thread counts. Each round times every workload
// once with each thread count, back to back (the order alternating between rounds); the ratio of
// a round is (N threads) / (1 thread) of those two adjacent runs, and the reported ratio is the
// median over the rounds (target: >= 0.95 for every workload). Used by bench/run.ts (every full
// run, and alone with --threads-ab).

/** One workload's comparison. */
export interface ThreadsAbRow {
  workload: string;
  /** samples/s (or GFLOP/s) with 1 thread, per round */
  one: number[];
  /** the same with `threads` threads, per round */
  many: number[];
  /** median over rounds of many[r] / one[r] */
  ratio: number;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Runs `measure(workload, t)` for t = 1 and t = `threads`, interleaved over `rounds` rounds
 * (round r runs 1 first when r is even, `threads` first when odd). `measure` returns a rate
 * (higher is faster); `log` reports progress.
 */
export async function threadsAb(workloads: readonly string[], threads: number, rounds: number,
  measure: (workload: string, threads: number) => Promise<number>, log: (s: string) => void): Promise<ThreadsAbRow[]> {
  const rows = workloads.map((workload) => ({ workload, one: [] as number[], many: [] as number[], ratio: NaN }));
  for (let r = 0; r < rounds; r++) {
    log(`  threads A/B round ${r + 1} of ${rounds}`);
    for (const row of rows) {
      for (const t of r % 2 === 0 ? [1, threads] : [threads, 1]) (t === 1 ? row.one : row.many).push(await measure(row.workload, t));
    }
  }
  for (const row of rows) row.ratio = median(row.one.map((o, i) => row.many[i]! / o));
  return rows;
}

/** The comparison as a markdown table: workload, median rates, ratio, and whether it meets 0.95. */
export function threadsAbTable(rows: readonly ThreadsAbRow[], threads: number): string {
  const fmt = (v: number) => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
  const lines = [`| workload | 1 thread (median) | ${threads} threads (median) | ${threads} / 1 (median of rounds) |`, '|-|-:|-:|-:|'];
  for (const r of rows) lines.push(`| ${r.workload} | ${fmt(median(r.one))} | ${fmt(median(r.many))} | ${r.ratio.toFixed(3)}x${r.ratio < 0.95 ? ' (below 0.95)' : ''} |`);
  return lines.join('\n');
}
