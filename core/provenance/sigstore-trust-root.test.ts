import { createHash, generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  parseSigstoreTrustedRoot,
  parseSigstoreTrustedRoots,
  SigstoreTrustedRootError,
} from "./sigstore-trust-root.ts";

const logKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({
  type: "spki",
  format: "der",
});
// A self-signed CA certificate is not needed to parse: any DER the root lists is read when verifying.
const ROOT = {
  mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
  tlogs: [
    {
      baseUrl: "https://rekor.example",
      hashAlgorithm: "SHA2_256",
      publicKey: { rawBytes: logKey.toString("base64"), keyDetails: "PKIX_ECDSA_P256_SHA_256" },
      logId: { keyId: createHash("sha256").update(logKey).digest("base64") },
    },
  ],
  certificateAuthorities: [] as unknown[],
  ctlogs: [],
  timestampAuthorities: [],
};

const publicGood = await readFile(new URL("./public-good-trusted-root.json", import.meta.url), "utf8");
const jsonLines = await readFile(
  new URL("../../test/fixtures/sigstore/trusted-roots.jsonl", import.meta.url),
  "utf8",
);

function errorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(SigstoreTrustedRootError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("parseSigstoreTrustedRoot", () => {
  it("says which file is not a trusted root, and how to get Sigstore's", () => {
    const error = (text: string) =>
      errorOf(() => parseSigstoreTrustedRoot(text, "/etc/aether/trusted_root.json"));
    expect(error("{ nope")).toMatch(
      /^\/etc\/aether\/trusted_root\.json: not a Sigstore trusted root: the JSON/,
    );
    expect(error("{ nope")).toContain("gh attestation trusted-root > trusted_root.jsonl");
    expect(error('{"mediaType":"application/json"}')).toContain('mediaType is "application/json"');
    expect(error(JSON.stringify(ROOT))).toContain("lists no certificateAuthorities");
    expect(error(JSON.stringify({ ...ROOT, tlogs: [{ baseUrl: "x" }] }))).toContain("has an unusable entry");
  });
});

describe("parseSigstoreTrustedRoots", () => {
  it("reads one pretty-printed root as one root", () => {
    const roots = parseSigstoreTrustedRoots(publicGood, "trusted_root.json");
    expect(roots.map((r) => r.where)).toEqual(["trusted_root.json"]);
    expect(roots[0]?.authorities.length).toBe(3);
  });

  it("reads JSON lines (`gh attestation trusted-root`) as one root per line, blank lines skipped", () => {
    const roots = parseSigstoreTrustedRoots(`\n${jsonLines}\n\n`, "roots.jsonl");
    expect(roots.map((r) => r.where)).toEqual(["roots.jsonl line 2", "roots.jsonl line 3"]);
    expect(roots.map((r) => r.material.ctlogs.length)).toEqual([2, 0]);
    expect(roots[1]?.material.timestampAuthorities).toHaveLength(1);
    expect(roots[1]?.authorities.map((c) => c.subject.split("\n").at(-1))).toEqual([
      "CN=Fulcio Intermediate l2",
      "CN=Fulcio Intermediate l1",
      "CN=Internal Services Root",
    ]);
  });

  it("names the line of a bad root", () => {
    const [first = ""] = jsonLines.split("\n");
    const error = (text: string) => errorOf(() => parseSigstoreTrustedRoots(text, "roots.jsonl"));
    expect(error(`${first}\n{"mediaType":"application/json"}\n`)).toMatch(
      /^roots\.jsonl line 2: not a Sigstore trusted root: mediaType is "application\/json"/,
    );
    expect(error(`${first}\n${first.slice(0, 80)}\n`)).toMatch(
      /^roots\.jsonl line 2: not a Sigstore trusted root: the JSON does not parse/,
    );
    expect(error(`${first}\n${JSON.stringify(ROOT)}`)).toMatch(
      /^roots\.jsonl line 2: the Sigstore trusted root lists no certificateAuthorities/,
    );
  });

  it("reports a broken pretty-printed root as the whole file, not as line 1", () => {
    expect(errorOf(() => parseSigstoreTrustedRoots(publicGood.slice(0, 200), "trusted_root.json"))).toMatch(
      /^trusted_root\.json: not a Sigstore trusted root: the JSON does not parse/,
    );
  });
});
