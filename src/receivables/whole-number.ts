import { z } from 'zod';

/**
 * A whole number within [min, max] with one plain message for every way it can be wrong. (zod's own `.int()`
 * reports its failure without the input, which `parseInput` then words as "is required".)
 * @example wholeNumber(1, 3650, 'days') // rejects 1.5 with "must be a whole number of days from 1 to 3650"
 */
export function wholeNumber(min: number, max: number, unit = '') {
  const message = `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  return z.number().refine((n) => Number.isInteger(n) && n >= min && n <= max, message);
}
