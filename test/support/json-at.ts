/**
 * Reads a value deep inside parsed JSON by keys and indexes, failing with the path when it is not there:
 * how tests look into rendered objects without `any`.
 * @example at(deployment, "spec", "template", "spec", "containers", 0, "image")
 */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const [i, key] of path.entries()) {
    if (current === null || typeof current !== "object" || !(key in current)) {
      throw new Error(`no ${path.slice(0, i + 1).join(".")} in ${JSON.stringify(value).slice(0, 200)}`);
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
