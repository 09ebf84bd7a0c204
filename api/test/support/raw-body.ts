import type request from 'supertest';

/**
 * supertest parses only JSON and text; feeds, images and problem bodies read as raw bytes go
 * through this parser, which collects the response body into one Buffer.
 */
export function rawBody(response: unknown, done: (error: Error | null, body: Buffer) => void): void {
  const res = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

/** The request with its body collected as a Buffer in `res.body`. */
export const withRawBody = (req: request.Test): request.Test => req.buffer(true).parse(rawBody);
