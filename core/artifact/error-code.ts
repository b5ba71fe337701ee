/** The `code` of a Node system or zlib error ("EEXIST", "Z_DATA_ERROR"), when there is one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
