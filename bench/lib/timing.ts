import { performance } from 'node:perf_hooks';

/** Runs `work` once to warm up, then `runs` times, and returns the median duration in milliseconds. */
export async function medianMs(work: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Operations per second of `count` operations taking `ms`. */
export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;
