import { createHash, type KeyObject } from "node:crypto";

/** The keyid Aether writes and reports: lowercase hex sha256 of the public key's SPKI DER bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex");
}
