/** The finance systems the app connects to, and how people name them in messages, the cards and the audit. */
export const FINANCE_SYSTEM_NAMES = { quickbooks: 'QuickBooks', xero: 'Xero', stripe: 'Stripe' } as const;

/**
 * A finance system's name as people write it; an unknown id is returned as given.
 * @example financeSystemName('quickbooks') // 'QuickBooks'
 */
export function financeSystemName(system: string): string {
  return (FINANCE_SYSTEM_NAMES as Record<string, string>)[system] ?? system;
}
