/**
 * Errors are values with a stable code, a message a person understands, and the path of the field at fault.
 * Handlers map `DomainError` onto 4xx responses; nothing else in the core throws for bad input.
 */

export type ErrorCode =
  | 'invalid_input'
  | 'invalid_transition'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'infeasible'
  | 'currency_mismatch'
  | 'unauthorized';

/** One problem with one field. `path` is dotted with [index] for arrays, e.g. `billingPlan.milestones[1].amount`. */
export interface Issue {
  path: string;
  message: string;
}

/** The one error type of the domain core. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly path: string;
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, path = '', issues?: Issue[]) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'DomainError';
    this.code = code;
    this.path = path;
    this.issues = issues ?? [{ path, message }];
  }

  /** A plain object safe to send to a client (no stack). */
  toJSON(): { code: ErrorCode; message: string; path: string; issues: Issue[] } {
    return { code: this.code, message: this.message, path: this.path, issues: this.issues };
  }
}

/** True when `e` is a DomainError (also across module copies, by name and shape). */
export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError || (e instanceof Error && e.name === 'DomainError' && 'code' in e);
}

/**
 * Formats a property path the way people read it.
 * @example formatPath(['billingPlan', 'milestones', 1, 'amount']) // 'billingPlan.milestones[1].amount'
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
