import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { keyIdOf } from "./key-id.ts";

export interface GeneratedSigningKey {
  /** PKCS#8 PEM: the value (or file) for `AETHER_SIGNING_KEY`. Keep it secret. */
  privateKeyPem: string;
  /** SPKI PEM: what verifiers list as a trusted key. */
  publicKeyPem: string;
  keyid: string;
}

/**
 * A fresh Ed25519 key pair for signing provenance outside GitHub Actions (`aether keygen`).
 * @example const { privateKeyPem, publicKeyPem, keyid } = generateSigningKey();
 */
export function generateSigningKey(): GeneratedSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519", {
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, keyid: keyIdOf(createPublicKey(publicKey)) };
}
