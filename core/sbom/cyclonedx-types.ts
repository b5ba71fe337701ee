import type { LicenseChoice } from "./spdx-licenses.ts";
import type { HashAlgorithm, PackageScope } from "./sbom-model.ts";

/** The subset of CycloneDX 1.6 Aether writes. Key order here is the order in the output. */
export interface CdxProperty {
  name: string;
  value: string;
}

export interface CdxComponent {
  type: "library" | "application";
  "bom-ref": string;
  group?: string;
  name: string;
  version?: string;
  scope?: PackageScope;
  hashes?: Array<{ alg: HashAlgorithm; content: string }>;
  licenses?: LicenseChoice[];
  purl?: string;
  externalReferences?: Array<{ type: "vcs"; url: string }>;
  properties?: CdxProperty[];
}

export interface CdxDependency {
  ref: string;
  dependsOn: string[];
}

export interface CycloneDxBom {
  bomFormat: "CycloneDX";
  specVersion: "1.6";
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
    component: CdxComponent;
  };
  components: CdxComponent[];
  dependencies: CdxDependency[];
}
