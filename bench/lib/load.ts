import autocannon from 'autocannon';

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  /** 99th percentile latency in milliseconds. */
  p99: number;
  /** Responses that were not the expected status, plus connection errors and timeouts. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (e.g. distinct events); overrides `body`. */
  bodyFor?: (n: number) => string;
  connections?: number;
  seconds?: number;
  expectStatus?: number;
}

/** autocannon against one URL: a 2 s warm-up, then the measured run. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const run = (seconds: number) => {
    let n = 0;
    return autocannon({
      url: options.url,
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      connections: options.connections ?? 64,
      duration: seconds,
      ...(options.bodyFor
        ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: options.bodyFor!(n++) }) }] }
        : options.body !== undefined
          ? { body: options.body }
          : {}),
    });
  };
  await run(2);
  const result = await run(options.seconds ?? 10);
  const expected = options.expectStatus ?? 200;
  const statusOk = expected >= 200 && expected < 300 ? result['2xx'] : result.requests.total;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts + (expected >= 200 && expected < 300 ? 0 : Math.max(0, result.requests.total - statusOk)),
  };
}
