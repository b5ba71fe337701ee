import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { buildContextFromEnv } from "./build-context-from-env.ts";
import { buildStatement } from "./build-statement.ts";

describe("buildStatement", () => {
  it("puts the artifact first among the subjects and the run's times in the run details", () => {
    const context = buildContextFromEnv({}, { hostname: "h", user: "u" });
    const artifact = digestOf("manifest");
    const sbom = digestOf("sbom");
    const statement = buildStatement({
      artifact,
      subjects: [{ name: "sbom.cdx.json", digest: sbom }],
      context,
      startedOn: "2026-01-01T00:00:00Z",
      finishedOn: "2026-01-01T00:01:00Z",
    });
    expect(statement.subject).toEqual([
      { name: "artifact", digest: { sha256: artifact.slice("sha256:".length) } },
      { name: "sbom.cdx.json", digest: { sha256: sbom.slice("sha256:".length) } },
    ]);
    expect(statement.predicate.runDetails).toEqual({
      builder: context.runDetails.builder,
      metadata: { startedOn: "2026-01-01T00:00:00Z", finishedOn: "2026-01-01T00:01:00Z" },
    });
    expect(statement.predicate.buildDefinition).toBe(context.buildDefinition);
  });
});
