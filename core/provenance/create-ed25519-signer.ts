import { createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { keyIdOf } from "./key-id.ts";
import { pae } from "./pae.ts";
import { SigningKeyError } from "./provenance-errors.ts";
import type { ProvenanceSigner } from "./provenance-signer.ts";

/**
 * A signer for a PKCS#8 PEM Ed25519 private key. `where` names the key's origin in errors
 * ("AETHER_SIGNING_KEY", a file path); errors never quote the key.
 * @example const signer = createEd25519Signer(pem, "AETHER_SIGNING_KEY");
 */
export function createEd25519Signer(privateKeyPem: string, where: string): ProvenanceSigner {
  const key = parsePrivateKey(privateKeyPem, where);
  const keyid = keyIdOf(createPublicKey(key));
  return {
    kind: "ed25519",
    keyid,
    sign: ({ payloadType, payload }) => {
      const sig = sign(null, pae(payloadType, payload), key);
      return Promise.resolve({
        payloadType,
        payload: payload.toString("base64"),
        signatures: [{ keyid, sig: sig.toString("base64") }],
      });
    },
  };
}

function parsePrivateKey(pem: string, where: string): KeyObject {
  if (!pem.includes("-----BEGIN PRIVATE KEY-----")) {
    const hint = pem.includes("ENCRYPTED PRIVATE KEY")
      ? "it is encrypted; Aether needs an unencrypted key (keep it in a secret instead)"
      : pem.includes("PUBLIC KEY")
        ? "it is a public key; signing needs the private key (the public key is what verifiers trust)"
        : "expected a PEM block starting with -----BEGIN PRIVATE KEY-----";
    throw new SigningKeyError(
      `${where}: not a PKCS#8 private key: ${hint}. Make one with \`aether keygen\`.`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    // Only the error code: OpenSSL messages are safe today, but the key must never ride along in a cause.
    const code = errorCode(error);
    throw new SigningKeyError(
      `${where}: the private key could not be read (${code}); it may be truncated or mangled by copying. ` +
        `Paste the whole PEM block, or make a new key with \`aether keygen\`.`,
    );
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new SigningKeyError(
      `${where}: the key is ${key.asymmetricKeyType ?? "of an unknown type"}, expected ed25519. ` +
        `Make one with \`aether keygen\`.`,
    );
  }
  return key;
}

function errorCode(error: unknown): string {
  if (error !== null && typeof error === "object" && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "unreadable";
}
