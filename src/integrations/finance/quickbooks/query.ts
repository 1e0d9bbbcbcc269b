/**
 * The QuickBooks query language (`GET /query?query=select * from Customer where DisplayName = 'x'`): a small SQL
 * subset with single-quoted strings in which a quote is escaped with a backslash (Intuit's documented form,
 * `'Amy\'s Bird Sanctuary'`). Every value we put in a query goes through `qboString`.
 */

export type QboQueryEntity =
  | 'Customer'
  | 'Term'
  | 'Invoice'
  | 'Estimate'
  | 'Payment'
  | 'CreditMemo'
  | 'Item'
  | 'Account'
  | 'TaxCode'
  | 'TaxRate'
  | 'CompanyInfo'
  | 'Preferences';

/** Largest page the query endpoint returns. */
export const QBO_MAX_RESULTS = 1000;

/** A quoted string literal. @example qboString("O'Brien Ltd") // "'O\\'Brien Ltd'" */
export function qboString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One equality condition on a field. @example qboEquals('PrimaryEmailAddr', 'ap@acme.test') */
export function qboEquals(field: string, value: string): string {
  return `${field} = ${qboString(value)}`;
}

/**
 * A whole `select *` statement with paging.
 * @example selectQuery('Invoice', [qboEquals('CustomerRef', '12')], 1) // "select * from Invoice where CustomerRef = '12' startposition 1 maxresults 1000"
 */
export function selectQuery(entity: QboQueryEntity, where: string[], startPosition = 1, maxResults = QBO_MAX_RESULTS) {
  const clause = where.length > 0 ? ` where ${where.join(' and ')}` : '';
  return `select * from ${entity}${clause} startposition ${startPosition} maxresults ${maxResults}`;
}
