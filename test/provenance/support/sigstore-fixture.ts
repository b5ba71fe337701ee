import type { SerializedBundle } from "@sigstore/bundle";
import { createHash, createPublicKey, X509Certificate } from "node:crypto";
import { join } from "node:path";
import { signProvenance } from "../../../actions/sbom/src/sign-provenance.ts";
import { createSigstoreSigner } from "../../../actions/sbom/src/sigstore-signer.ts";
import { digestOf, type Digest } from "../../../core/artifact/digest.ts";
import { SBOM_MEDIA_TYPE, type ArtifactManifest } from "../../../core/artifact/manifest.ts";
import { sampleManifest } from "../../../core/store/artifact-store-contract.ts";
import { createFolderStore } from "../../../core/store/folder-store.ts";
import { buildContextFromEnv } from "../../../core/provenance/build-context-from-env.ts";
import { createStatement } from "../../../core/provenance/create-statement.ts";
import type { ProvenanceStatement } from "../../../core/provenance/provenance-types.ts";
import { signStatement } from "../../../core/provenance/sign-statement.ts";
import type { SigstoreServers } from "../../actions/support/sigstore-servers.ts";

export const HOSTED = "https://github.com/actions/runner/github-hosted";

/** The build context of a GitHub-hosted Actions run of `repository` on main. */
function hostedRunOf(repository: string) {
  const env = {
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: repository,
    GITHUB_REF: "refs/heads/main",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_RUN_ID: "42",
    RUNNER_ENVIRONMENT: "github-hosted",
  };
  return buildContextFromEnv(env, { hostname: "h", user: "u" });
}

/** A statement as the sbom action makes it in a GitHub-hosted job of `repository`. */
export function githubStatement(request: {
  repository: string;
  artifact: Digest;
  sbom: Digest;
}): ProvenanceStatement {
  return createStatement({
    subjects: [
      { name: "artifact", digest: request.artifact },
      { name: "sbom.cdx.json", digest: request.sbom },
    ],
    ...hostedRunOf(request.repository),
  });
}

/** The sbom action's real Sigstore signer, getting its OIDC token from the test servers' Actions endpoint. */
export function testSigstoreSigner(servers: SigstoreServers, options: { retries?: number } = {}) {
  return createSigstoreSigner({
    endpoints: { fulcioURL: servers.fulcioUrl, rekorURL: servers.rekorUrl },
    getToken: async () => {
      const response = await fetch(`${servers.oidc.requestUrl}&audience=sigstore`, {
        headers: { Authorization: `Bearer ${servers.oidc.requestToken}` },
      });
      return ((await response.json()) as { value: string }).value;
    },
    ...options,
  });
}

/** Signs through the sbom action's real signer path: OIDC token, Fulcio certificate, Rekor entry. */
export async function signWithSigstore(
  servers: SigstoreServers,
  statement: ProvenanceStatement,
): Promise<SerializedBundle> {
  const signer = testSigstoreSigner(servers, { retries: 0 });
  await signStatement(statement, signer);
  const bundle = signer.lastBundle();
  if (bundle === undefined) throw new Error("the signer made no bundle");
  return bundle;
}

/**
 * An artifact with an SBOM in a folder store under `work`, its provenance signed and stored by the sbom
 * action's code as a GitHub-hosted run of `repository` would sign it.
 */
export async function sigstoreSignedArtifact(
  servers: SigstoreServers,
  request: { work: string; repository: string },
) {
  const store = createFolderStore(join(request.work, "store"));
  const sbom = digestOf("sbom bytes");
  const manifest: ArtifactManifest = {
    ...sampleManifest(),
    sbom: { mediaType: SBOM_MEDIA_TYPE, digest: sbom, size: 10, components: 1 },
  };
  const { digest } = await store.putManifest(manifest);
  const signed = await signProvenance({
    store,
    artifact: digest,
    subjects: [{ name: "sbom.cdx.json", digest: sbom }],
    context: hostedRunOf(request.repository),
    startedOn: "2026-11-25T10:00:00Z",
    finishedOn: "2026-11-25T10:00:05Z",
    choice: {
      kind: "sigstore",
      signer: testSigstoreSigner(servers),
      endpoints: { fulcioURL: servers.fulcioUrl },
    },
    outDir: request.work,
  });
  return { store, digest, manifest, signed };
}

/** A `trusted_root.json` (protobuf-specs JSON) trusting the test CA and the test Rekor's key. */
export function trustedRootFor(servers: Pick<SigstoreServers, "caCertificate" | "rekorPublicKey">): object {
  const ca = new X509Certificate(servers.caCertificate);
  const rekorDer = createPublicKey(servers.rekorPublicKey).export({ type: "spki", format: "der" });
  return {
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [
      {
        baseUrl: "http://127.0.0.1/rekor",
        hashAlgorithm: "SHA2_256",
        publicKey: {
          rawBytes: rekorDer.toString("base64"),
          keyDetails: "PKIX_ECDSA_P256_SHA_256",
          validFor: { start: "2020-01-01T00:00:00Z" },
        },
        logId: { keyId: createHash("sha256").update(rekorDer).digest("base64") },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: "aether test", commonName: "aether-test-fulcio" },
        uri: "http://127.0.0.1/fulcio",
        certChain: { certificates: [{ rawBytes: ca.raw.toString("base64") }] },
        validFor: { start: "2020-01-01T00:00:00Z" },
      },
    ],
    ctlogs: [],
    timestampAuthorities: [],
  };
}
