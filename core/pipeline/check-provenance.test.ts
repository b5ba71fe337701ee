import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { digestOf } from "../artifact/digest.ts";
import { buildContextFromEnv } from "../provenance/build-context-from-env.ts";
import { createEd25519Signer } from "../provenance/create-ed25519-signer.ts";
import { generateSigningKey } from "../provenance/generate-signing-key.ts";
import { LOCAL_BUILDER_ID } from "../provenance/provenance-types.ts";
import { createFolderStore } from "../store/folder-store.ts";
import { attestArtifact } from "./attest-artifact.ts";
import { checkProvenance, type ProvenanceRequirements } from "./check-provenance.ts";

const tempDir = useTempDirs("aether-check-provenance-");
const ARTIFACT = digestOf("manifest bytes");
const SBOM = digestOf("sbom bytes");

async function signedStore() {
  const store = createFolderStore(join(await tempDir(), "store"));
  const key = generateSigningKey();
  await attestArtifact({
    store,
    digest: ARTIFACT,
    sbom: { name: "sbom.cdx.json", digest: SBOM },
    signer: createEd25519Signer(key.privateKeyPem, "test key"),
    context: buildContextFromEnv({}, { hostname: "ci", user: "runner" }),
    startedOn: "2026-11-25T10:00:00Z",
    finishedOn: "2026-11-25T10:00:05Z",
  });
  const requirements: ProvenanceRequirements = {
    required: true,
    trustedKeys: [key.publicKeyPem],
    allowedBuilders: [LOCAL_BUILDER_ID],
  };
  return { store, requirements };
}

describe("checkProvenance", () => {
  it("verifies an artifact attested with its SBOM", async () => {
    const { store, requirements } = await signedStore();
    const decision = await checkProvenance({ store, digest: ARTIFACT, sbomDigest: SBOM, requirements });
    expect(decision).toMatchObject({
      proceed: true,
      verified: true,
      label: "verified",
      builderId: LOCAL_BUILDER_ID,
    });
  });

  it("refuses when the manifest's SBOM is not the one the provenance names", async () => {
    const { store, requirements } = await signedStore();
    const decision = await checkProvenance({
      store,
      digest: ARTIFACT,
      sbomDigest: digestOf("other"),
      requirements,
    });
    expect(decision).toMatchObject({ proceed: false, check: "sbom-subject" });
  });

  it("labels a missing or unreadable attestation unverified, or refuses it when required", async () => {
    const { store, requirements } = await signedStore();
    const other = digestOf("unattested");
    expect(await checkProvenance({ store, digest: other, requirements })).toMatchObject({
      proceed: false,
      check: "missing",
    });
    expect(
      await checkProvenance({ store, digest: other, requirements: { ...requirements, required: false } }),
    ).toMatchObject({
      proceed: true,
      label: "unverified: no provenance",
    });
    await store.putAttestation(other, Buffer.from("not json\n"));
    expect(await checkProvenance({ store, digest: other, requirements })).toMatchObject({
      proceed: false,
      check: "payload",
    });
  });
});
