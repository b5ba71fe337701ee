import { readFile } from "node:fs/promises";
import { SigningKeyError } from "./provenance-errors.ts";

/**
 * Resolves the value of `AETHER_SIGNING_KEY` to PEM text: a value that starts with `-----BEGIN` is the key
 * itself (how CI secrets usually arrive); anything else is the path of a file holding it. Errors name the
 * variable, never its value, since a mis-pasted key would otherwise be printed as a "path".
 * @example const pem = await readSigningKey(env.AETHER_SIGNING_KEY ?? "", "AETHER_SIGNING_KEY");
 */
export async function readSigningKey(value: string, where: string): Promise<string> {
  const trimmed = value.trim();
  if (trimmed === "") {
    throw new SigningKeyError(
      `${where} is empty: set it to a PEM Ed25519 private key or the path of a file holding one ` +
        `(make one with \`aether keygen\`).`,
    );
  }
  if (trimmed.startsWith("-----BEGIN")) return trimmed;
  try {
    return await readFile(trimmed, "utf8");
  } catch (error) {
    const code =
      error !== null && typeof error === "object" && "code" in error && typeof error.code === "string"
        ? error.code
        : "unreadable";
    throw new SigningKeyError(
      `${where} does not start with -----BEGIN, so it is taken as a file path, and that file could not be ` +
        `read (${code}). Set it to the PEM text itself or to the path of a readable key file.`,
    );
  }
}
