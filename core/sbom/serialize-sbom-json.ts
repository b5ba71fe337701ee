import type { CycloneDxBom } from "./cyclonedx-types.ts";

/**
 * The BOM as JSON: keys in the fixed order buildBom creates them, components and graph sorted by purl,
 * two-space indentation and a final newline, so the same input always gives the same bytes.
 */
export function serializeSbomJson(bom: CycloneDxBom): string {
  return `${JSON.stringify(bom, null, 2)}\n`;
}
