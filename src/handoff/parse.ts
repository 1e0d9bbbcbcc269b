import type { z } from 'zod';
import { DomainError, type Issue } from '../core/errors.js';
import { zodIssues } from '../core/validate.js';

/**
 * `parseInput` with two repairs for zod 4, kept local to this module: zod 4 only puts the offending value on an
 * issue when asked (`reportInput`), without which core's humaniser calls every wrong-type value "is required";
 * and a message we wrote ourselves (e.g. "must be yes or no") beats the generic "must be a boolean".
 */

const ZOD_DEFAULT = /^Invalid (input|option|element|key|union)|^Too (big|small)|^Expected|^Unrecognized key/;

/**
 * Our issues for a zod error: readable paths, our own messages where we wrote them, "is required" only for absent values.
 * @example handoffIssues(HandoffDataSchema.safeParse({ poRequired: 'yes' }, { reportInput: true }).error!, 'data')
 */
export function handoffIssues(error: z.ZodError, prefix = ''): Issue[] {
  const humane = zodIssues(error, prefix);
  return error.issues.map((issue, i) => {
    const base = humane[i] as Issue;
    const absent = issue.code === 'invalid_type' && issue.input === undefined;
    if (absent) return { path: base.path, message: 'is required' };
    if (!ZOD_DEFAULT.test(issue.message)) return { path: base.path, message: issue.message };
    return base;
  });
}

/**
 * Parses `input` or throws one DomainError('invalid_input') naming every bad field (first one in the message).
 * @example parseHandoffInput(ActorSchema, body.actor, 'actor')
 */
export function parseHandoffInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = handoffIssues(result.error, prefix);
  const first = issues[0] ?? { path: prefix, message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new DomainError('invalid_input', `${first.message}${more}`, first.path, issues);
}
