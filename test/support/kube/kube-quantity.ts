const DECIMAL: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource quantity (`250m`, `2`, `256Mi`, `1G`, `1e3`) as a number of base units; NaN when malformed. */
export function parseQuantity(text: string): number {
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const scale = BINARY[match[2] ?? ""] ?? DECIMAL[match[2] ?? ""];
  return scale === undefined ? Number.NaN : Number(match[1]) * scale;
}

/** A CPU amount as the API server prints it: `500m`, `2`. */
export function formatCpu(cores: number): string {
  const millis = Math.round(cores * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** A memory amount with the largest binary suffix that divides it: `256Mi`, `2Gi`, `1000`. */
export function formatMemory(bytes: number): string {
  const whole = Math.round(bytes);
  for (const suffix of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
    const unit = BINARY[suffix] ?? 1;
    if (whole !== 0 && whole % unit === 0) return `${whole / unit}${suffix}`;
  }
  return String(whole);
}
