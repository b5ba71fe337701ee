import { generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";
import { isObject } from "./openapi-spec.ts";

/** An RSA key pair for a test GitHub App (the private key in PEM, as `PRIVATE_KEY` holds it). */
export function generateAppKey(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), publicKey };
}

export type JwtCheck = { ok: true; appId: string } | { ok: false; message: string };

/**
 * Checks an app JWT as GitHub does: three base64url parts, `alg: RS256`, signed by the app's key,
 * `iss` the app id, `iat` not in the future (60 s slack) and `exp` in the future, at most 10 minutes after `iat`.
 */
export function verifyAppJwt(
  jwt: string,
  app: { appId: string; publicKey: KeyObject; nowMs: number },
): JwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, message: "A JSON web token could not be decoded" };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (header === undefined || payload === undefined)
    return { ok: false, message: "A JSON web token could not be decoded" };
  if (header.alg !== "RS256") return { ok: false, message: `'alg' must be RS256, was ${String(header.alg)}` };
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    app.publicKey,
    Buffer.from(signaturePart, "base64url"),
  );
  if (!signed) return { ok: false, message: "A JSON web token could not be decoded" };
  if (String(payload.iss) !== app.appId)
    return { ok: false, message: `'Issuer' claim ('iss') must be the app id ${app.appId}` };
  const now = Math.floor(app.nowMs / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== "number" || iat > now + 60)
    return {
      ok: false,
      message: "'Issued at' claim ('iat') must be an Integer representing a time in the past.",
    };
  if (typeof exp !== "number" || exp <= now)
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  if (exp - iat > 600)
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  return { ok: true, appId: app.appId };
}

export interface TokenGrant {
  installationId: number;
  expiresAtMs: number;
}

/** Installation tokens the server minted (or a test added), with their expiry. */
export class TokenRegistry {
  private readonly tokens = new Map<string, TokenGrant>();

  mint(installationId: number, nowMs: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAtMs = nowMs + 60 * 60 * 1000;
    this.tokens.set(token, { installationId, expiresAtMs });
    return { token, expiresAt: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, "Z") };
  }

  /** Adds a token a test chooses (valid for a year unless `expiresAtMs` says otherwise). */
  add(token: string, grant: { installationId?: number; expiresAtMs?: number; nowMs: number }): void {
    this.tokens.set(token, {
      installationId: grant.installationId ?? 1,
      expiresAtMs: grant.expiresAtMs ?? grant.nowMs + 365 * 24 * 3600 * 1000,
    });
  }

  installationOf(token: string): number | undefined {
    return this.tokens.get(token)?.installationId;
  }

  check(token: string, nowMs: number): "valid" | "expired" | "unknown" {
    const grant = this.tokens.get(token);
    if (grant === undefined) return "unknown";
    return grant.expiresAtMs > nowMs ? "valid" : "expired";
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
