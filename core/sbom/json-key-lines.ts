/**
 * The line of every object-valued key in pretty-printed JSON, keyed by its path joined with "\n"
 * (`packages\nnode_modules/express`), down to `maxDepth` keys deep. JSON.parse keeps no positions, and lockfiles are always written
 * indented, so one scan of the indentation recovers them. Keys in minified JSON are simply not found.
 */
export function jsonKeyLines(text: string, maxDepth = Infinity): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: string[] = [];
  const depths: number[] = [];
  let line = 0;
  let start = 0;
  while (start < text.length) {
    line++;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    // Only `"key": {` lines open an object whose position we want.
    if (text.charCodeAt(i) === 34 && text.charCodeAt(end - 1) === 123) {
      const close = text.indexOf('": ', i + 1);
      if (close !== -1 && close < end) {
        const indent = i - start;
        while (depths.length > 0 && depths[depths.length - 1]! >= indent) {
          depths.pop();
          stack.pop();
        }
        stack.push(text.slice(i + 1, close));
        depths.push(indent);
        if (stack.length <= maxDepth) lines.set(stack.length === 1 ? stack[0]! : stack.join("\n"), line);
      }
    }
    start = end + 1;
  }
  return lines;
}
