/**
 * Reading webhook payloads at the trust boundary: the intake checked the signature, not the shape, so every
 * field the handlers use is read through these, and a missing or mistyped one is a named error.
 */
export class PayloadShapeError extends Error {
  constructor(event: string, path: string, expected: string) {
    super(`${event} payload: ${path} is not ${expected}; the delivery was not processed`);
    this.name = "PayloadShapeError";
  }
}

/** A reader bound to one delivery's payload and event name (for messages). */
export function payloadReader(event: string, payload: Record<string, unknown>) {
  const at = (path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>(
        (node, key) =>
          node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
        payload,
      );
  return {
    has: (path: string): boolean => {
      const value = at(path);
      return value !== undefined && value !== null;
    },
    string(path: string): string {
      const value = at(path);
      if (typeof value !== "string") throw new PayloadShapeError(event, path, "a string");
      return value;
    },
    optionalString(path: string): string | undefined {
      const value = at(path);
      return typeof value === "string" ? value : undefined;
    },
    number(path: string): number {
      const value = at(path);
      if (typeof value !== "number") throw new PayloadShapeError(event, path, "a number");
      return value;
    },
    boolean(path: string): boolean {
      return at(path) === true;
    },
  };
}

export type PayloadReader = ReturnType<typeof payloadReader>;
