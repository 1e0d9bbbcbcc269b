import type { z } from 'zod';
import { DomainError, formatPath, type Issue } from './errors.js';

// zod's own wording; anything else is a message we wrote in a schema, which beats a generic rewrite.
const ZOD_DEFAULT = /^Invalid (input|option|element|key|union)|^Too (big|small)|^Expected|^Unrecognized key/;

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') {
    const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input;
    return `must be ${article(issue.expected)} (got ${got})`;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return `is not an accepted key: ${inner ? humanMessage(inner) : 'invalid'}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return issue.message;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'an object';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Converts zod issues into our issue list, each with a readable path and message. */
export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const full = prefix && path ? (path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`) : prefix || path;
    return { path: full, message: humanMessage(issue) };
  });
}

/**
 * Parses `input` with `schema`, or throws one `DomainError('invalid_input')` naming every bad field.
 * @example const plan = parseInput(BillingPlanSchema, body.plan, 'plan');
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  // reportInput: without it zod 4 leaves `input` out of issues, and "not an integer" would read as "is required".
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = zodIssues(result.error, prefix);
  const first = issues[0] ?? { path: prefix, message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return throwInvalid(first, more, issues);
}

function throwInvalid(first: Issue, more: string, issues: Issue[]): never {
  throw new DomainError('invalid_input', `${first.message}${more}`, first.path, issues);
}
