import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { daysBetween } from '../../src/core/dates.js';
import type { DomainError } from '../../src/core/errors.js';
import { MoneySchema } from '../../src/core/money.js';
import { parseInput } from '../../src/core/validate.js';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected an error');
}

describe('parseInput', () => {
  it('says a fractional amount is not whole, not that it is missing', () => {
    const e = errorOf(() => parseInput(MoneySchema, { amount: 1.5, currency: 'USD' }, 'price'));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('price.amount');
    expect(e.message).toContain('whole number');
  });

  it('says a missing field is required', () => {
    const e = errorOf(() => parseInput(MoneySchema, { currency: 'USD' }, 'price'));
    expect(e.message).toBe('price.amount: is required');
  });

  it('writes list positions right after a prefix', () => {
    const e = errorOf(() => parseInput(z.array(z.object({ n: z.number() })), [{ n: 1 }, { n: 'x' }], 'invoices'));
    expect(e.path).toBe('invoices[1].n');
  });

  it('names every bad field and counts the others in the message', () => {
    const e = errorOf(() => parseInput(z.object({ a: z.string(), b: z.string() }), {}));
    expect(e.issues.map((i) => i.path)).toEqual(['a', 'b']);
    expect(e.message).toBe('a: is required (and 1 more problem)');
  });
});

describe('daysBetween', () => {
  it('counts calendar days across a leap day and a year end', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('refuses a date that does not exist', () => {
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow('not a real calendar date');
  });
});
