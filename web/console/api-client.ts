import type { ErrorParams } from '../../api/src/domain/problem-codes.js';

/**
 * HTTP to the farm-trace API from the browser: the bearer token, JSON or multipart bodies, and
 * RFC 9457 problem details turned into `ProblemError`s that keep the server's codes (shown in the
 * user's language through problem-messages.ts) and its English words (for logs).
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The API's machine code (docs/errors.md); absent when the answer was not problem details. */
  code?: string;
  params?: ErrorParams;
  errors?: Array<{ path: string; code?: string; message: string; params?: ErrorParams }>;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string | null;
  json?: unknown;
  form?: FormData;
  idempotencyKey?: string;
}

/** Sends one request; rejects with a `ProblemError` on 4xx/5xx and with a `TypeError` when the network fails. */
export async function apiRequest<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const response = await send(path, request, 'application/json');
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Fetches a file the API streams (a label sheet, an export) as a Blob, with the same errors as `apiRequest`. */
export async function apiFile(path: string, token: string): Promise<Blob> {
  return (await send(path, { token }, '*/*')).blob();
}

async function send(path: string, request: ApiRequest, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  let body: BodyInit | undefined;
  if (request.form) body = request.form;
  else if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  const response = await fetch(path, { method: request.method ?? (body ? 'POST' : 'GET'), headers, body, cache: 'no-store' });
  if (!response.ok) throw new ProblemError(await readProblem(response));
  return response;
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: '' };
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body, status: response.status };
  } catch {
    return fallback;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What the console shows of a plot (a subset of the API's Plot). */
export interface PlotSummary {
  id: string;
  name: string;
  crops: string[];
  areaHa: number | null;
}

/** What the console shows of a lot (a subset of the API's Batch). */
export interface BatchSummary {
  id: string;
  product: string;
  lotNumber: string;
  quantity: { value: number; unit: 'kg' | 't' | 'bag'; bagKg?: number };
  harvestedAt: string | null;
  /** A harvest over several days (the API gives either this or harvestedAt). */
  harvestPeriod?: { from: string; to: string } | null;
  plotIds: string[];
  published: boolean;
  digitalLink: string;
  /** Who holds the lot now; only its holder records steps on it (absent on a lot still on the phone). */
  custodianOrgId?: string;
  /** Set while the lot is on its way to another organization. */
  pendingReceiverOrgId?: string | null;
}
