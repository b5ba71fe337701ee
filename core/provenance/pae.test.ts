import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pae } from "./pae.ts";

// Ed25519 key "A" of the DSSE test vectors (secure-systems-lab/dsse testvectors/vectors.json), which is
// RFC 8032's first test key; the signatures below are the vectors' own, made by other implementations.
const VECTOR_KEY = createPublicKey({
  key: {
    kty: "OKP",
    crv: "Ed25519",
    x: Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex").toString(
      "base64url",
    ),
  },
  format: "jwk",
});
const STATEMENT_PAYLOAD = "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==";

describe("pae", () => {
  it("encodes the DSSE specification's example byte for byte", () => {
    expect(pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString("latin1")).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
  });

  it("encodes an empty body with the trailing space", () => {
    expect(pae("application/vnd.in-toto+json", Buffer.alloc(0)).toString("latin1")).toBe(
      "DSSEv1 28 application/vnd.in-toto+json 0 ",
    );
    expect(pae("", Buffer.alloc(0)).toString("latin1")).toBe("DSSEv1 0  0 ");
  });

  it("counts bytes, not characters, in a non-ASCII type and body", () => {
    const encoded = pae("application/vnd.exämple+json", Buffer.from("é", "utf8"));
    expect(encoded.toString("utf8")).toBe("DSSEv1 29 application/vnd.exämple+json 2 é");
  });

  it("passes binary bodies through unchanged", () => {
    const body = Buffer.from([0xfb, 0xff, 0xbf, 0x3e, 0x3f]);
    expect(pae("t", body).subarray(-5)).toEqual(body);
  });

  it("matches the PAE under which the DSSE test vectors' signatures verify", () => {
    const vectors = [
      {
        type: "application/vnd.in-toto+json",
        payload: STATEMENT_PAYLOAD,
        sig: "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==",
      },
      {
        type: "application/vnd.in-toto+json",
        payload: "-_-_Pj8=",
        sig: "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==",
      },
      {
        type: "application/vnd.exämple+json",
        payload: STATEMENT_PAYLOAD,
        sig: "xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==",
      },
    ];
    for (const v of vectors) {
      const message = pae(v.type, Buffer.from(v.payload, "base64"));
      expect(verify(null, message, VECTOR_KEY, Buffer.from(v.sig, "base64"))).toBe(true);
    }
    // And the type is bound: the first signature does not verify under another payload type.
    const swapped = pae("application/vnd.example.other+json", Buffer.from(STATEMENT_PAYLOAD, "base64"));
    expect(verify(null, swapped, VECTOR_KEY, Buffer.from(vectors[0]!.sig, "base64"))).toBe(false);
  });
});
