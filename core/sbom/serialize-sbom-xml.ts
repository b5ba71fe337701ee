import type { CdxComponent, CycloneDxBom } from "./cyclonedx-types.ts";

/** Escapes text and attribute values; also drops characters XML 1.0 cannot hold at all. */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function el(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function componentXml(c: CdxComponent, indent: string): string {
  const inner = indent + "  ";
  const parts: string[] = [];
  if (c.group !== undefined) parts.push(el("group", c.group));
  parts.push(el("name", c.name));
  if (c.version !== undefined) parts.push(el("version", c.version));
  if (c.scope !== undefined) parts.push(el("scope", c.scope));
  if (c.hashes) {
    const hashes = c.hashes.map((h) => `<hash alg="${h.alg}">${escapeXml(h.content)}</hash>`);
    parts.push(`<hashes>${hashes.join("")}</hashes>`);
  }
  if (c.licenses) {
    const licenses = c.licenses.map((l) => {
      if ("expression" in l) return el("expression", l.expression);
      return "id" in l.license
        ? `<license>${el("id", l.license.id)}</license>`
        : `<license>${el("name", l.license.name)}</license>`;
    });
    parts.push(`<licenses>${licenses.join("")}</licenses>`);
  }
  if (c.purl !== undefined) parts.push(el("purl", c.purl));
  if (c.externalReferences) {
    const refs = c.externalReferences.map(
      (r) => `<reference type="${r.type}">${el("url", r.url)}</reference>`,
    );
    parts.push(`<externalReferences>${refs.join("")}</externalReferences>`);
  }
  if (c.properties) {
    const props = c.properties.map(
      (p) => `<property name="${escapeXml(p.name)}">${escapeXml(p.value)}</property>`,
    );
    parts.push(`<properties>${props.join("")}</properties>`);
  }
  const open = `${indent}<component type="${c.type}" bom-ref="${escapeXml(c["bom-ref"])}">`;
  return `${open}\n${parts.map((p) => inner + p).join("\n")}\n${indent}</component>`;
}

/**
 * The BOM as CycloneDX 1.6 XML, written by hand in the XSD's element order, in the same stable order as
 * the JSON. Only the elements Aether produces are written.
 */
export function serializeSbomXml(bom: CycloneDxBom): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="${escapeXml(bom.serialNumber)}" version="${bom.version}">`,
    "  <metadata>",
    `    ${el("timestamp", bom.metadata.timestamp)}`,
    "    <tools>",
    "      <components>",
    ...bom.metadata.tools.components.map((c) => componentXml(c, "        ")),
    "      </components>",
    "    </tools>",
    componentXml(bom.metadata.component, "    "),
    "  </metadata>",
    "  <components>",
    ...bom.components.map((c) => componentXml(c, "    ")),
    "  </components>",
    "  <dependencies>",
  ];
  for (const d of bom.dependencies) {
    if (d.dependsOn.length === 0) {
      lines.push(`    <dependency ref="${escapeXml(d.ref)}"/>`);
      continue;
    }
    lines.push(`    <dependency ref="${escapeXml(d.ref)}">`);
    for (const on of d.dependsOn) lines.push(`      <dependency ref="${escapeXml(on)}"/>`);
    lines.push("    </dependency>");
  }
  lines.push("  </dependencies>", "</bom>");
  return `${lines.join("\n")}\n`;
}
