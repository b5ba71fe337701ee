import { randomBytes } from "node:crypto";

/** Where passwords and salts come from: crypto's randomBytes in production, a seeded source in tests. */
export type RandomBytes = (size: number) => Buffer;

export const cryptoRandom: RandomBytes = (size) => randomBytes(size);

/** A 32-character URL-safe password (192 bits). */
export function newPassword(random: RandomBytes): string {
  return random(24).toString("base64url");
}
