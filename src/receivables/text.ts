/**
 * Small wording helpers shared by the banner and credit messages, so that every sentence the app shows about
 * receivables counts and lists things the same way.
 */

/** "1 day", "2 days". @example plural(1, 'invoice') // '1 invoice' */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** "a", "a and b", "a, b and c". @example joinList(['$10.00', '€5.00']) // '$10.00 and €5.00' */
export function joinList(items: ReadonlyArray<string>): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
