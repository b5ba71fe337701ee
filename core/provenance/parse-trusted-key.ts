import { createPublicKey, type KeyObject } from "node:crypto";
import { keyIdOf } from "./key-id.ts";
import { TrustedKeyError } from "./provenance-errors.ts";

export interface TrustedKey {
  key: KeyObject;
  keyid: string;
}

/** Parses a trusted Ed25519 public key (SPKI PEM); `where` names it in errors ("trustedKeys[0]", a path). */
export function parseTrustedKey(pem: string, where: string): TrustedKey {
  if (pem.includes("PRIVATE KEY")) {
    // Said before parsing, so a private key pasted as a trusted key is refused without being used or echoed.
    throw new TrustedKeyError(
      `${where}: this is a private key; trust the public key instead (aether keygen prints it).`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw new TrustedKeyError(
      `${where}: not a PEM public key (expected a block starting with -----BEGIN PUBLIC KEY-----).`,
    );
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new TrustedKeyError(
      `${where}: the key is ${key.asymmetricKeyType ?? "of an unknown type"}, expected ed25519.`,
    );
  }
  return { key, keyid: keyIdOf(key) };
}
