/** True when `error` is a Node system error with the given code (ENOENT, EADDRINUSE …). */
export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
