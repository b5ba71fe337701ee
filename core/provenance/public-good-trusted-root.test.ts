import { createHash, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PUBLIC_GOOD_TRUSTED_ROOT_WHERE, publicGoodTrustedRoot } from "./public-good-trusted-root.ts";

interface RawLog {
  baseUrl: string;
  publicKey: { rawBytes: string };
  logId: { keyId: string };
}
interface RawAuthority {
  certChain: { certificates: { rawBytes: string }[] };
}
const raw = JSON.parse(
  await readFile(new URL("./public-good-trusted-root.json", import.meta.url), "utf8"),
) as { tlogs: RawLog[]; ctlogs: RawLog[]; certificateAuthorities: RawAuthority[] };

// Fingerprints of what the root says, the same in sigstore/sigstore-python, sigstore/root-signing and
// sigstore/sigstore-go (see the comment in public-good-trusted-root.ts): a refresh that changes them is a
// key rotation and must be looked at, not waved through.
const FULCIO_ROOT =
  "3B:A7:B6:CC:4E:95:46:9D:4D:33:4B:49:CB:25:7A:D8:53:70:76:FA:84:B0:CA:87:FF:4E:CF:E6:A5:46:80:C1";
const FULCIO_INTERMEDIATE =
  "15:D7:95:34:82:26:B4:64:9F:75:0F:58:02:59:2C:39:3B:EE:7C:C5:3C:3B:86:98:21:75:B7:AD:08:7E:FE:47";
const REKOR_LOG_ID = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";
const CT_LOG_2022_ID = "3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=";

const certificate = (base64: string) => new X509Certificate(Buffer.from(base64, "base64"));

describe("publicGoodTrustedRoot", () => {
  it("is Sigstore's public-good root: Fulcio's root and intermediate, Rekor's and the CT log's keys", () => {
    const root = publicGoodTrustedRoot();
    expect(root.where).toBe(PUBLIC_GOOD_TRUSTED_ROOT_WHERE);
    expect(root.authorities.map((c) => c.fingerprint256)).toEqual(
      expect.arrayContaining([FULCIO_ROOT, FULCIO_INTERMEDIATE]),
    );
    expect(raw.tlogs.map((l) => [l.baseUrl, l.logId.keyId])).toEqual([
      ["https://rekor.sigstore.dev", REKOR_LOG_ID],
    ]);
    expect(raw.ctlogs.map((l) => l.logId.keyId)).toContain(CT_LOG_2022_ID);
    expect(root.material.tlogs).toHaveLength(1);
    expect(root.material.certificateAuthorities).toHaveLength(2);
  });

  it("is consistent: every log id is the SHA-256 of its key, every chain certificate is signed by the next", () => {
    for (const log of [...raw.tlogs, ...raw.ctlogs]) {
      const key = Buffer.from(log.publicKey.rawBytes, "base64");
      expect(createHash("sha256").update(key).digest("base64"), log.baseUrl).toBe(log.logId.keyId);
    }
    for (const authority of raw.certificateAuthorities) {
      const chain = authority.certChain.certificates.map((c) => certificate(c.rawBytes));
      chain.forEach((cert, i) => {
        const issuer = chain[i + 1] ?? cert;
        expect(cert.checkIssued(issuer) && cert.verify(issuer.publicKey), cert.subject).toBe(true);
      });
    }
  });

  it("is parsed once", () => {
    expect(publicGoodTrustedRoot()).toBe(publicGoodTrustedRoot());
  });
});
