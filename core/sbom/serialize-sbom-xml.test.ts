import { describe, expect, it } from "vitest";
import type { CycloneDxBom } from "./cyclonedx-types.ts";
import { xmlElements } from "./sbom-test-kit.ts";
import { escapeXml, serializeSbomXml } from "./serialize-sbom-xml.ts";

const bom: CycloneDxBom = {
  bomFormat: "CycloneDX",
  specVersion: "1.6",
  serialNumber: "urn:uuid:00000000-0000-5000-8000-000000000000",
  version: 1,
  metadata: {
    timestamp: "1980-01-01T00:00:00Z",
    tools: {
      components: [{ type: "application", "bom-ref": "tool:aether", name: "aether", version: "0.1.0" }],
    },
    component: { type: "application", "bom-ref": "app:a&b", name: "a&b <app>", version: "1" },
  },
  components: [
    {
      type: "library",
      "bom-ref": "pkg:npm/x@1?vcs_url=a&b",
      group: "@s",
      name: "x",
      version: "1",
      scope: "required",
      hashes: [{ alg: "SHA-512", content: "ab" }],
      licenses: [{ license: { id: "MIT" } }, { license: { name: "Custom \"quoted\" 'l'" } }],
      purl: "pkg:npm/x@1?vcs_url=a&b",
      externalReferences: [{ type: "vcs", url: "git+https://e/x.git" }],
      properties: [{ name: "aether:lockfile", value: "package-lock.json:3" }],
    },
    {
      type: "library",
      "bom-ref": "pkg:npm/y@2",
      name: "y\u0001",
      licenses: [{ expression: "MIT OR Apache-2.0" }],
    },
  ],
  dependencies: [
    { ref: "app:a&b", dependsOn: ["pkg:npm/x@1?vcs_url=a&b"] },
    { ref: "pkg:npm/x@1?vcs_url=a&b", dependsOn: [] },
  ],
};

describe("serializeSbomXml", () => {
  it("writes well-formed XML in the schema's element order, with every special character escaped", () => {
    const xml = serializeSbomXml(bom);
    const names = xmlElements(xml);
    expect(names[0]).toBe("bom");
    const x = names.indexOf("group");
    expect(names.slice(x, x + 6)).toEqual(["group", "name", "version", "scope", "hashes", "hash"]);
    expect(xml).toContain("<name>a&amp;b &lt;app&gt;</name>");
    expect(xml).toContain("<name>Custom &quot;quoted&quot; &apos;l&apos;</name>");
    expect(xml).toContain('<dependency ref="pkg:npm/x@1?vcs_url=a&amp;b"/>');
    expect(xml).toContain("<expression>MIT OR Apache-2.0</expression>");
    expect(xml).toContain("<name>y</name>"); // a control character XML cannot hold is dropped
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"',
      ),
    ).toBe(true);
  });

  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });
});
