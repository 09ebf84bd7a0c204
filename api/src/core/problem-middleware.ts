import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, fromStorageError, problemType } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Any route nobody declared. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`${req.method} ${req.path}`));
};

/** Turns every error into RFC 9457 problem+json; unexpected ones are logged and answered 500 without internals. */
export const problemHandler: ErrorRequestHandler = (thrown, req, res, _next) => {
  const error = fromStorageError(thrown);
  let appError: AppError;
  // Body-parser errors are translated where bodies are parsed (core/api-router); other framework
  // errors with a 4xx status (e.g. a malformed URI) keep their status.
  if (error instanceof AppError) {
    appError = error;
  } else if (typeof (error as { status?: number })?.status === 'number' && (error as { status: number }).status < 500) {
    const status = (error as { status: number }).status;
    appError = new AppError({ status, type: problemType('bad-request'), code: 'bad-request', title: 'Bad request', detail: String((error as Error).message) });
  } else {
    req.log?.error({ err: error }, 'unhandled error');
    appError = new AppError({
      status: 500,
      type: problemType('internal'),
      code: 'internal',
      title: 'Internal server error',
      detail: 'The server could not complete the request; it has been logged.',
    });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
  res.status(appError.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...appError.toProblem(), instance: req.originalUrl }));
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over its 16 KB, a broken
 * request line, headers that never finish) get problem details too, and the connection is closed.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const problem =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError({ status: 431, type: problemType('headers-too-large'), code: 'headers-too-large', title: 'Request headers too large', detail: 'The request line and headers must fit in 16 KB.' })
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new AppError({ status: 408, type: problemType('request-timeout'), code: 'request-timeout', title: 'Request timeout', detail: 'The request did not arrive in time; send it again.' })
          : new AppError({ status: 400, type: problemType('bad-request'), code: 'bad-request', title: 'Bad request', detail: 'The request is not well-formed HTTP.' });
    const body = JSON.stringify(problem.toProblem());
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
