import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature } from "./verify-signature.ts";

// GitHub's published test vector (docs: "Validating webhook deliveries").
const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from("Hello, World!");
const SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("verifySignature", () => {
  it("accepts GitHub's test vector", () => {
    expect(verifySignature({ secret: SECRET, body: BODY, header: SIGNATURE })).toEqual({ ok: true });
    expect(
      verifySignature({
        secret: SECRET,
        body: BODY,
        header: SIGNATURE.toUpperCase().replace("SHA256", "sha256"),
      }),
    ).toEqual({ ok: true });
  });

  it("refuses a changed body, a wrong secret, and a signature of another body", () => {
    expect(
      verifySignature({ secret: SECRET, body: Buffer.from("Hello, World?"), header: SIGNATURE }),
    ).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifySignature({ secret: "guess", body: BODY, header: SIGNATURE })).toMatchObject({
      reason: "mismatch",
    });
    const other = `sha256=${createHmac("sha256", SECRET).update("other").digest("hex")}`;
    expect(verifySignature({ secret: SECRET, body: BODY, header: other })).toMatchObject({
      reason: "mismatch",
    });
  });

  it("tells a missing header from a malformed one", () => {
    expect(verifySignature({ secret: SECRET, body: BODY, header: undefined })).toMatchObject({
      reason: "missing",
    });
    expect(verifySignature({ secret: SECRET, body: BODY, header: [SIGNATURE, SIGNATURE] })).toMatchObject({
      reason: "missing",
    });
    for (const header of ["sha1=abc", "sha256=xyz", `sha256=${"0".repeat(63)}`, "757107ea0eb2509f"]) {
      expect(verifySignature({ secret: SECRET, body: BODY, header })).toMatchObject({ reason: "malformed" });
    }
  });
});
