import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { buildContextFromEnv } from "./build-context-from-env.ts";
import { createEd25519Signer } from "./create-ed25519-signer.ts";
import { createStatement } from "./create-statement.ts";
import { generateSigningKey } from "./generate-signing-key.ts";
import { encodeEnvelope, encodeStatement, signStatement } from "./sign-statement.ts";

const ARTIFACT = digestOf("manifest");
const SBOM = digestOf("sbom");
const context = buildContextFromEnv(
  {
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "o/r",
    GITHUB_REF: "refs/tags/v1",
    GITHUB_SHA: "abc",
    GITHUB_RUN_ID: "1",
  },
  { hostname: "h", user: "u" },
);
const timed = {
  ...context.runDetails,
  metadata: {
    ...context.runDetails.metadata,
    startedOn: "2026-01-01T00:00:00Z",
    finishedOn: "2026-01-01T00:01:00Z",
  },
};

describe("createStatement", () => {
  it("makes an in-toto v1 statement with a SLSA v1 predicate about the artifact and its SBOM", () => {
    const statement = createStatement({
      subjects: [
        { name: "shop", digest: ARTIFACT },
        { name: "shop.cdx.json", digest: SBOM },
      ],
      buildDefinition: context.buildDefinition,
      runDetails: timed,
    });
    expect(statement._type).toBe("https://in-toto.io/Statement/v1");
    expect(statement.predicateType).toBe("https://slsa.dev/provenance/v1");
    expect(statement.subject).toEqual([
      { name: "shop", digest: { sha256: ARTIFACT.slice(7) } },
      { name: "shop.cdx.json", digest: { sha256: SBOM.slice(7) } },
    ]);
    expect(statement.predicate.buildDefinition.buildType).toBe("https://aether.dev/provenance/build/v1");
    expect(statement.predicate.runDetails.metadata).toEqual({
      invocationId: "https://github.com/o/r/actions/runs/1/attempts/1",
      startedOn: "2026-01-01T00:00:00Z",
      finishedOn: "2026-01-01T00:01:00Z",
    });
  });

  it("gives the same payload bytes and envelope for the same inputs, whatever the key order", async () => {
    const key = generateSigningKey();
    const signer = createEd25519Signer(key.privateKeyPem, "k");
    const a = createStatement({
      subjects: [{ name: "shop", digest: ARTIFACT }],
      ...context,
      runDetails: timed,
    });
    const reordered = { metadata: timed.metadata, builder: timed.builder };
    const b = createStatement({
      runDetails: reordered,
      buildDefinition: context.buildDefinition,
      subjects: [{ name: "shop", digest: ARTIFACT }],
    });
    expect(encodeStatement(a).equals(encodeStatement(b))).toBe(true);
    expect(encodeStatement(a).toString()).not.toMatch(/\s/);
    expect(encodeEnvelope(await signStatement(a, signer))).toBe(
      encodeEnvelope(await signStatement(b, signer)),
    );
  });

  it("refuses a statement about nothing", () => {
    expect(() => createStatement({ subjects: [], ...context })).toThrow(/at least one subject/);
  });
});
