// Not `import … from "node:util"`: see parse-options.ts (the facade costs every CLI start ~9 ms).
const { styleText } = process.getBuiltinModule("node:util");

type Format = Parameters<typeof styleText>[0];

/** Colours only where a person reads a terminal: not in pipes, CI logs or with NO_COLOR. */
export function createStyle(color: boolean) {
  const paint = (format: Format) => (text: string) =>
    color ? styleText(format, text, { validateStream: false }) : text;
  return {
    ok: paint("green"),
    fail: paint("red"),
    dim: paint("dim"),
    bold: paint("bold"),
    accent: paint("cyan"),
    warn: paint("yellow"),
  };
}

export type Style = ReturnType<typeof createStyle>;
