import { ERROR_STATUS, type ErrorCode } from '../shared/errors.ts';

/** An expected failure with a stable code; the error handler turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You lack the right for this action'): AppError =>
  new AppError('FORBIDDEN', message);
