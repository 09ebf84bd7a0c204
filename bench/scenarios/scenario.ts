import type { Figure } from '../lib/figures.js';

/** One group of measurements; `run` starts what it needs (servers, databases) and cleans up after itself. */
export interface Scenario {
  name: string;
  summary: string;
  run(): Promise<Figure[]>;
}
