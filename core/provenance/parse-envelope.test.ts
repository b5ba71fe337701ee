import { describe, expect, it } from "vitest";
import { EnvelopeParseError } from "./provenance-errors.ts";
import { parseEnvelope } from "./parse-envelope.ts";

const GOOD = {
  payloadType: "application/vnd.in-toto+json",
  payload: "e30=",
  signatures: [{ keyid: "k", sig: "c2ln" }],
};

describe("parseEnvelope", () => {
  it("reads an envelope, from a JSON document or the first line of a .jsonl file", () => {
    expect(parseEnvelope(JSON.stringify(GOOD), "a.json")).toEqual(GOOD);
    expect(parseEnvelope(`\n${JSON.stringify(GOOD)}\n{"other":1}\n`, "a.intoto.jsonl")).toEqual(GOOD);
  });

  it("accepts URL-safe base64 and signatures without a keyid", () => {
    const envelope = { ...GOOD, payload: "-_-_Pj8=", signatures: [{ sig: "P-_KHI" }] };
    expect(parseEnvelope(JSON.stringify(envelope), "x")).toEqual(envelope);
  });

  it.each([
    ["", "the provenance file is empty"],
    ['{"payloadType":', "the JSON does not parse"],
    ["[]", "the document must be an object"],
    [JSON.stringify({ ...GOOD, payloadType: 3 }), "payloadType must be a string"],
    [JSON.stringify({ ...GOOD, payload: undefined }), "payload must be a base64 string"],
    [JSON.stringify({ ...GOOD, payload: "not base64!" }), "payload is not base64"],
    [
      JSON.stringify({ ...GOOD, signatures: [] }),
      "signatures must be a non-empty array (the envelope is unsigned)",
    ],
    [JSON.stringify({ ...GOOD, signatures: ["x"] }), "signatures[0] must be an object"],
    [JSON.stringify({ ...GOOD, signatures: [{ sig: "" }] }), "signatures[0].sig must be base64"],
    [
      JSON.stringify({ ...GOOD, signatures: [{ sig: "c2ln", keyid: 7 }] }),
      "signatures[0].keyid must be a string",
    ],
  ])("rejects %j: %s", (text, expected) => {
    expect(() => parseEnvelope(text, ".aether/store/shop.intoto.jsonl")).toThrow(EnvelopeParseError);
    expect(() => parseEnvelope(text, ".aether/store/shop.intoto.jsonl")).toThrow(
      `.aether/store/shop.intoto.jsonl: ${expected.startsWith("the provenance") ? "" : "not a DSSE envelope: "}${expected}`,
    );
  });
});
