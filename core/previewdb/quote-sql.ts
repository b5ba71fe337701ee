/**
 * Quotes an SQL identifier (database, role, schema name) the way PostgreSQL's quote_ident does: always in
 * double quotes, inner quotes doubled, so any name is safe to splice into DDL that cannot take parameters.
 * @example quoteIdent('a"b') // '"a""b"'
 */
export function quoteIdent(name: string): string {
  if (name.includes("\0"))
    throw new Error(`an SQL identifier cannot contain a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes an SQL string literal for DDL (COMMENT, PASSWORD) with standard_conforming_strings on (the default
 * since PostgreSQL 9.1): single quotes doubled; an E'' literal is never produced, so backslashes are plain.
 */
export function quoteLiteral(text: string): string {
  if (text.includes("\0")) throw new Error("an SQL literal cannot contain a NUL byte");
  return `'${text.replace(/'/g, "''")}'`;
}
