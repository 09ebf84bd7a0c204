import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError, problemType } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Any route nobody declared. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`${req.method} ${req.path}`));
};

/** Turns every error into RFC 9457 problem+json; unexpected ones are logged and answered 500 without internals. */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if ((error as { type?: string })?.type === 'entity.too.large') {
    appError = new PayloadTooLargeError(String((error as { limit?: number }).limit ?? 'the limit'));
  } else if ((error as { type?: string })?.type === 'entity.parse.failed') {
    appError = ValidationError.field('(body)', 'the body is not valid JSON');
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
