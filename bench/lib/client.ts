import { DEMO_PASSWORD } from '../../seeds/demo.js';
import type { RunningServer } from './servers.js';

/** A JSON answer, or an error naming the request and the status. */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Logs a demo account in; the Authorization header value. */
export async function login(service: RunningServer, email: string): Promise<string> {
  const { token } = await fetchJson<{ token: string }>(`${service.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  return `Bearer ${token}`;
}

/** POSTs an EPCIS capture document and waits for its job to finish; throws with the job's errors when it failed. */
export async function captureAndWait(service: RunningServer, auth: string, body: string): Promise<void> {
  const res = await fetch(`${service.url}/epcis/capture`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/ld+json' }, body });
  if (res.status !== 202) throw new Error(`capture: ${res.status} ${await res.text()}`);
  const job = `${service.url}${res.headers.get('location')!}`;
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    const state = await fetchJson<{ running: boolean; success: boolean; errors: unknown[] }>(job, { headers: { authorization: auth } });
    if (!state.running) {
      if (!state.success) throw new Error(`capture job failed: ${JSON.stringify(state.errors).slice(0, 500)}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`capture job ${job} did not finish in 120 s`);
}
