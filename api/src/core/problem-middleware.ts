import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, problemType } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Any route nobody declared. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`${req.method} ${req.path}`));
};

/** Turns every error into RFC 9457 problem+json; unexpected ones are logged and answered 500 without internals. */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let appError: AppError;
  // Body-parser errors are translated where bodies are parsed (core/api-router); other framework
  // errors with a 4xx status (e.g. a malformed URI) keep their status.
  if (error instanceof AppError) {
    appError = error;
  } else if (typeof (error as { status?: number })?.status === 'number' && (error as { status: number }).status < 500) {
    const status = (error as { status: number }).status;
    appError = new AppError({ status, type: problemType('bad-request'), title: 'Bad request', detail: String((error as Error).message) });
  } else {
    req.log?.error({ err: error }, 'unhandled error');
    appError = new AppError({
      status: 500,
      type: problemType('internal'),
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
