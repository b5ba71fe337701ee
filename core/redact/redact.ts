/**
 * The one redaction function every log line, comment, check run and API response goes through. It hides
 * known secret values (the ones Aether was handed: app variables, passwords it generated, tokens) and text
 * that looks like a credential whatever its origin (tokens with well-known prefixes, private keys, passwords
 * in URLs).
 */
export type Redact = (text: string) => string;

export const REDACTED = "***";

/** Secrets shorter than this are not replaced by value: "1" or "true" would blank out half a log. */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: RegExp[] = [
  // GitHub tokens: personal, OAuth, user-to-server, server-to-server, refresh, fine-grained.
  /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // PEM private keys, whole block.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // Bearer tokens in headers.
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g,
];

/** user:password@ in any URL: keep the user, hide the password. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;

/**
 * Makes the redactor for a context: `secrets` are exact values to hide (longest first, so a secret that
 * contains another is hidden whole).
 * @example const redact = createRedactor(["s3cr3t-value"]); redact("token=s3cr3t-value") // "token=***"
 */
export function createRedactor(secrets: Iterable<string> = []): Redact {
  const values = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    out = out.replace(URL_PASSWORD, `$1${REDACTED}$3`);
    for (const pattern of PATTERNS) {
      out = out.replace(pattern, (match, prefix: unknown) =>
        typeof prefix === "string" && match.startsWith(prefix) && prefix.length < match.length
          ? `${prefix}${REDACTED}`
          : REDACTED,
      );
    }
    return out;
  };
}
