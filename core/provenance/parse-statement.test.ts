import { describe, expect, it } from "vitest";
import { parseSlsaPredicate, parseStatement } from "./parse-statement.ts";

const SUBJECT = [{ name: "shop", digest: { sha256: "ab".repeat(32), sha512: "cd", bogus: 3 } }];
const STATEMENT = {
  _type: "https://in-toto.io/Statement/v1",
  subject: SUBJECT,
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: {},
};
const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe("parseStatement", () => {
  it("reads subjects (string digests only), predicate type and predicate", () => {
    const parsed = parseStatement(bytes(STATEMENT));
    expect(parsed).toMatchObject({
      ok: true,
      value: { subject: [{ name: "shop", digest: { sha256: "ab".repeat(32), sha512: "cd" } }] },
    });
  });

  it.each([
    ["[1]", "the payload is not a JSON object"],
    [JSON.stringify({ ...STATEMENT, subject: [] }), "subject must be a non-empty array"],
    [
      JSON.stringify({ ...STATEMENT, subject: [{ name: "x", digest: { sha1: "y" } }] }),
      "subject[0] must have",
    ],
    [JSON.stringify({ ...STATEMENT, predicateType: 1 }), "predicateType must be a string"],
    [JSON.stringify({ ...STATEMENT, predicate: [] }), "predicate must be an object"],
  ])("rejects %s", (text, message) => {
    const parsed = parseStatement(Buffer.from(text));
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});

describe("parseSlsaPredicate", () => {
  const predicate = {
    buildDefinition: {
      buildType: "https://aether.dev/provenance/build/v1",
      resolvedDependencies: [
        null,
        { uri: "git+https://github.com/o/r@refs/heads/main", digest: { gitCommit: "c" } },
      ],
    },
    runDetails: { builder: { id: "https://b" }, metadata: { invocationId: "run-1" } },
  };

  it("reads the builder, invocation and dependencies, skipping entries that are not objects", () => {
    expect(parseSlsaPredicate(predicate)).toEqual({
      ok: true,
      value: {
        builderId: "https://b",
        resolvedDependencies: [
          { uri: "git+https://github.com/o/r@refs/heads/main", digest: { gitCommit: "c" } },
        ],
        runDetails: { builder: { id: "https://b" }, metadata: { invocationId: "run-1" } },
      },
    });
  });

  it("says which part is missing", () => {
    const noType = { ...predicate, buildDefinition: {} };
    expect(parseSlsaPredicate(noType)).toMatchObject({
      ok: false,
      message: expect.stringContaining("buildType"),
    });
    const noBuilder = { ...predicate, runDetails: {} };
    expect(parseSlsaPredicate(noBuilder)).toMatchObject({
      ok: false,
      message: expect.stringContaining("builder.id"),
    });
    const badDeps = { ...predicate, buildDefinition: { buildType: "t", resolvedDependencies: {} } };
    expect(parseSlsaPredicate(badDeps)).toMatchObject({
      ok: false,
      message: expect.stringContaining("must be an array"),
    });
  });
});
