import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { createEd25519Signer } from "./create-ed25519-signer.ts";
import { generateSigningKey } from "./generate-signing-key.ts";
import { keyIdOf } from "./key-id.ts";
import { pae } from "./pae.ts";
import { SigningKeyError } from "./provenance-errors.ts";
import { readSigningKey } from "./read-signing-key.ts";

const tempDir = useTempDirs("aether-provenance-key-");

describe("generateSigningKey", () => {
  it("makes a PKCS#8/SPKI PEM pair whose keyid is the sha256 of the SPKI DER", () => {
    const key = generateSigningKey();
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const der = createPublicKey(key.publicKeyPem).export({ type: "spki", format: "der" });
    expect(key.keyid).toBe(createHash("sha256").update(der).digest("hex"));
    expect(generateSigningKey().keyid).not.toBe(key.keyid);
  });
});

describe("createEd25519Signer", () => {
  it("signs PAE(type, payload) with the key, writing its keyid and a base64 payload", async () => {
    const key = generateSigningKey();
    const signer = createEd25519Signer(key.privateKeyPem, "AETHER_SIGNING_KEY");
    expect(signer).toMatchObject({ kind: "ed25519", keyid: key.keyid });
    const payload = Buffer.from('{"hello":"world"}');
    const envelope = await signer.sign({ payloadType: "application/vnd.in-toto+json", payload });
    expect(envelope.payload).toBe(payload.toString("base64"));
    expect(envelope.signatures).toHaveLength(1);
    const [signature] = envelope.signatures;
    expect(signature?.keyid).toBe(key.keyid);
    const sig = Buffer.from(signature!.sig, "base64");
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(verify(null, pae("application/vnd.in-toto+json", payload), publicKey, sig)).toBe(true);
    expect(verify(null, payload, publicKey, sig)).toBe(false);
  });

  it("refuses keys it cannot use, saying why", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const key = generateSigningKey();
    expect(() => createEd25519Signer(String(rsa), "AETHER_SIGNING_KEY")).toThrow(
      /key is rsa, expected ed25519/,
    );
    expect(() => createEd25519Signer(key.publicKeyPem, "AETHER_SIGNING_KEY")).toThrow(/it is a public key/);
    expect(() => createEd25519Signer("hunter2", "AETHER_SIGNING_KEY")).toThrow(/-----BEGIN PRIVATE KEY-----/);
  });
});

describe("readSigningKey", () => {
  it("takes PEM text as the key and anything else as a file path", async () => {
    const key = generateSigningKey();
    expect(await readSigningKey(`\n${key.privateKeyPem}`, "AETHER_SIGNING_KEY")).toBe(
      key.privateKeyPem.trim(),
    );
    const file = join(await tempDir(), "signing.pem");
    await writeFile(file, key.privateKeyPem, { mode: 0o600 });
    const pem = await readSigningKey(file, "AETHER_SIGNING_KEY");
    expect(createEd25519Signer(pem, file).keyid).toBe(key.keyid);
  });

  it("explains an empty value and an unreadable path", async () => {
    await expect(readSigningKey("  ", "AETHER_SIGNING_KEY")).rejects.toThrow(/AETHER_SIGNING_KEY is empty/);
    await expect(readSigningKey(join(await tempDir(), "nope.pem"), "AETHER_SIGNING_KEY")).rejects.toThrow(
      /taken as a file path, and that file could not be read \(ENOENT\)/,
    );
  });
});

describe("the private key never appears in an error", () => {
  it("keeps a planted key out of every message, stack and cause", async () => {
    const planted = generateSigningKey();
    const body = planted.privateKeyPem.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
    const rawBase64 = body.join("");
    // An Ed25519 PKCS#8 key is one base64 line: cut it short, and break a character inside it.
    const truncated = `-----BEGIN PRIVATE KEY-----\n${rawBase64.slice(0, 40)}\n-----END PRIVATE KEY-----\n`;
    const mangled = planted.privateKeyPem.replace(
      rawBase64,
      `${rawBase64.slice(0, 20)}!${rawBase64.slice(21)}`,
    );
    const encrypted = planted.privateKeyPem.replaceAll("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
    const attempts: Array<() => unknown> = [
      () => createEd25519Signer(truncated, "AETHER_SIGNING_KEY"),
      () => createEd25519Signer(mangled, "AETHER_SIGNING_KEY"),
      () => createEd25519Signer(rawBase64, "AETHER_SIGNING_KEY"),
      () => createEd25519Signer(encrypted, "AETHER_SIGNING_KEY"),
      () => readSigningKey(rawBase64, "AETHER_SIGNING_KEY"),
      () => readSigningKey(`${planted.privateKeyPem.slice(1)}`, "AETHER_SIGNING_KEY"),
    ];
    const texts: string[] = [];
    for (const attempt of attempts) {
      try {
        await attempt();
        texts.push(`attempt ${texts.length} did not fail`);
        continue;
      } catch (error) {
        expect(error).toBeInstanceOf(SigningKeyError);
        texts.push(describeError(error));
      }
    }
    expect(texts).toHaveLength(attempts.length);
    for (const text of texts) {
      expect(text).not.toContain("did not fail");
      expect(text).toContain("AETHER_SIGNING_KEY");
      expect(leakedPart(text, seedOf(rawBase64))).toBeUndefined();
    }
  });

  it("keeps the key out of the signer's printed form", () => {
    const planted = generateSigningKey();
    const signer = createEd25519Signer(planted.privateKeyPem, "AETHER_SIGNING_KEY");
    const secret = seedOf(planted.privateKeyPem.split("\n")[1]!);
    expect(leakedPart(JSON.stringify(signer), secret)).toBeUndefined();
    expect(leakedPart(inspect(signer, { depth: 5, showHidden: true }), secret)).toBeUndefined();
    expect(keyIdOf(createPublicKey(planted.privateKeyPem))).toBe(signer.keyid);
  });
});

/**
 * The secret part of an Ed25519 PKCS#8 key's base64: its first 16 bytes (22 characters) are an ASN.1 header
 * every such key shares, so only what follows identifies the key.
 */
function seedOf(base64: string): string {
  return base64.slice(22);
}

/** Any 8-character run of the secret found in the text (48 bits of a key is already too much to print). */
function leakedPart(text: string, secret: string): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) {
    const part = secret.slice(i, i + 8);
    if (text.includes(part)) return part;
  }
  return undefined;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? "", String(current));
    current = current.cause;
  }
  return parts.join("\n");
}
