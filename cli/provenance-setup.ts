import { createPublicKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import type { ProvenanceRequirements } from "../core/pipeline/check-provenance.ts";
import { buildContextFromEnv } from "../core/provenance/build-context-from-env.ts";
import { createEd25519Signer } from "../core/provenance/create-ed25519-signer.ts";
import { DEFAULT_ALLOWED_BUILDERS } from "../core/provenance/provenance-types.ts";
import { readSigningKey } from "../core/provenance/read-signing-key.ts";
import { GITHUB_ACTIONS_OIDC_ISSUER } from "../core/provenance/sigstore-identity-policy.ts";
import { parseSigstoreTrustedRoots } from "../core/provenance/sigstore-trust-root.ts";
import type { SigstoreVerificationOptions } from "../core/provenance/verify-provenance.ts";
import type { CliContext } from "./context.ts";

/**
 * Provenance settings from the environment: AETHER_SIGNING_KEY (a PEM key or a path) signs what is built;
 * AETHER_TRUSTED_KEYS (comma-separated PEM public keys or paths; default: the signing key's own public
 * key) and AETHER_ALLOWED_BUILDERS decide what verifies; AETHER_REQUIRE_PROVENANCE=1 refuses the rest.
 * Sigstore bundles verify against AETHER_SIGSTORE_TRUSTED_ROOT (a trusted_root.json path, or the JSON lines
 * `gh attestation trusted-root` prints), else against Sigstore's public-good root (built in), for certificates
 * from AETHER_SIGSTORE_OIDC_ISSUERS (default: GitHub Actions') issued to a workflow run of
 * AETHER_EXPECTED_REPOSITORY (default: GITHUB_REPOSITORY, the repository deploying), signed by the workflow
 * AETHER_SIGSTORE_SIGNER_WORKFLOW when set. AETHER_EXPECTED_REPOSITORY also pins the source repository of
 * key-signed provenance.
 */
export async function provenanceSetup(ctx: CliContext) {
  const env = ctx.env;
  const keyValue = env["AETHER_SIGNING_KEY"];
  const privateKey = keyValue ? await readSigningKey(keyValue, "AETHER_SIGNING_KEY") : undefined;
  const attest = privateKey
    ? {
        signer: createEd25519Signer(privateKey, "AETHER_SIGNING_KEY"),
        context: buildContextFromEnv(env, { hostname: hostname(), user: userInfo().username }),
        now: () => new Date(),
      }
    : undefined;
  const trusted = await Promise.all(
    (env["AETHER_TRUSTED_KEYS"] ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => (v.startsWith("-----BEGIN") ? v : readFile(resolve(ctx.cwd, v), "utf8"))),
  );
  if (trusted.length === 0 && privateKey) {
    trusted.push(createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString());
  }
  const expectedRepository = env["AETHER_EXPECTED_REPOSITORY"]?.trim() || undefined;
  const requirements: ProvenanceRequirements = {
    required: ["1", "true"].includes((env["AETHER_REQUIRE_PROVENANCE"] ?? "").toLowerCase()),
    trustedKeys: trusted,
    allowedBuilders:
      env["AETHER_ALLOWED_BUILDERS"]
        ?.split(",")
        .map((b) => b.trim())
        .filter(Boolean) ?? DEFAULT_ALLOWED_BUILDERS,
    ...(expectedRepository === undefined ? {} : { expectedRepository }),
    sigstore: await sigstoreSetup(ctx),
  };
  return { attest, requirements };
}

async function sigstoreSetup(ctx: CliContext): Promise<SigstoreVerificationOptions> {
  const env = ctx.env;
  const rootPath = env["AETHER_SIGSTORE_TRUSTED_ROOT"]?.trim();
  const issuers = env["AETHER_SIGSTORE_OIDC_ISSUERS"]
    ?.split(",")
    .map((i) => i.trim())
    .filter(Boolean);
  const repository = env["GITHUB_REPOSITORY"]?.trim();
  const signerWorkflow = env["AETHER_SIGSTORE_SIGNER_WORKFLOW"]?.trim();
  return {
    ...(rootPath ? { trustedRoots: await readTrustedRoots(ctx, rootPath) } : {}),
    oidcIssuers: issuers && issuers.length > 0 ? issuers : [GITHUB_ACTIONS_OIDC_ISSUER],
    ...(repository ? { repository } : {}),
    ...(signerWorkflow ? { signerWorkflow } : {}),
  };
}

/**
 * The roots of a trusted_root.json (or of each line of a JSON-lines file), relative to the working directory;
 * `setting` names where the path came from in errors.
 */
export async function readTrustedRoots(
  ctx: CliContext,
  path: string,
  setting = "AETHER_SIGSTORE_TRUSTED_ROOT",
) {
  const where = resolve(ctx.cwd, path);
  return parseSigstoreTrustedRoots(await readTrustedRoot(where, setting), where);
}

async function readTrustedRoot(path: string, setting: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(
      `${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}). ` +
        "Point it at a trusted_root.json: `gh attestation trusted-root > trusted_root.jsonl` writes " +
        "Sigstore's public-good root and GitHub's, one per line.",
      { cause: error },
    );
  }
}
