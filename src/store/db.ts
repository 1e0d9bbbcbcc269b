/**
 * One small database interface over PGlite (embedded, the default) and node-postgres (production), so that every
 * repository runs the same SQL on both. Parameters are always `$1, $2…`, never string-interpolated.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** Runs one statement with parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: ReadonlyArray<unknown>): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). Returns the rows of every statement. */
  exec(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs `fn` in one transaction: all of its writes land, or none do. Nested calls join the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
