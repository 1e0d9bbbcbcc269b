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

/**
 * The DomainError in an error's cause chain, if any: layers that wrap failures (an HTTP client around a token
 * getter, say) keep the original as `cause`, and the person should still see its code and message.
 * @example domainErrorIn(new Error('wrapped', { cause: new DomainError('forbidden', 'uninstalled') }))?.code // 'forbidden'
 */
export function domainErrorIn(e: unknown): DomainError | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 10; depth++) {
    if (isDomainError(cur)) return cur;
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return undefined;
}
