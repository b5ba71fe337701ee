import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson } from "../../../core/artifact/canonical-json.ts";
import { digestOf, type Digest } from "../../../core/artifact/digest.ts";
import type { BuildContext } from "../../../core/provenance/build-context-from-env.ts";
import { buildStatement } from "../../../core/provenance/build-statement.ts";
import { encodeEnvelope, signStatement } from "../../../core/provenance/sign-statement.ts";
import { verifyProvenance } from "../../../core/provenance/verify-provenance.ts";
import type { ArtifactStore } from "../../../core/store/store.ts";
import type { SignerChoice } from "./choose-signer.ts";
import { verifySigstoreEnvelope } from "./verify-sigstore-envelope.ts";

export interface SignedProvenance {
  path: string;
  digest: Digest;
  signer: SignerChoice["kind"];
  /** Who signed: the certificate identity (Sigstore) or the keyid (Ed25519). */
  identity?: string;
  /** The transparency log index, when Rekor logged the signature. */
  logIndex?: string;
  verified: boolean;
  /** Why verification failed, when it did. */
  problem?: string;
}

/**
 * Makes the SLSA provenance of the artifact (subjects: the artifact and its SBOMs), signs it as chosen,
 * writes it to `outDir` and stores it beside the artifact (`putAttestation`), where a deploy looks for it:
 * the DSSE envelope for a key, the whole Sigstore bundle (envelope, certificate, log entry) for Sigstore,
 * which is also stored as a blob under its digest. An unsigned statement is written to the file only: a deploy must not find an unsigned one.
 */
export async function signProvenance(request: {
  store: ArtifactStore;
  artifact: Digest;
  subjects: { name: string; digest: Digest }[];
  context: BuildContext;
  startedOn: string;
  finishedOn: string;
  choice: SignerChoice;
  outDir: string;
}): Promise<SignedProvenance> {
  const { context, choice, artifact } = request;
  const statement = buildStatement(request);
  if (choice.kind === "none") {
    const path = join(request.outDir, "provenance.intoto.json");
    const text = `${canonicalJson(statement)}\n`;
    await writeFile(path, text);
    return { path, digest: digestOf(text), signer: "none", verified: false, problem: choice.reason };
  }
  const envelope = await signStatement(statement, choice.signer);
  const line = Buffer.from(encodeEnvelope(envelope));
  if (choice.kind === "ed25519") {
    const path = join(request.outDir, "provenance.intoto.jsonl");
    await writeFile(path, line);
    const check = verifyProvenance({
      envelope,
      artifactDigest: artifact,
      trustedKeys: [choice.publicKeyPem],
      allowedBuilders: [context.runDetails.builder.id],
      expectedRepository: context.repository,
      where: path,
    });
    await request.store.putAttestation(artifact, line);
    return {
      path,
      digest: digestOf(line),
      signer: "ed25519",
      identity: choice.signer.keyid,
      verified: check.ok,
      ...(check.ok ? {} : { problem: check.message }),
    };
  }
  const bundle = choice.signer.lastBundle();
  if (bundle === undefined) throw new Error("the Sigstore signer returned no bundle");
  const text = `${JSON.stringify(bundle)}\n`;
  const path = join(request.outDir, "provenance.sigstore.json");
  await writeFile(path, text);
  const digest = digestOf(text);
  const check = verifySigstoreEnvelope(bundle, artifact);
  await request.store.putBlob(digest, path);
  // The whole bundle where a deploy looks: the certificate and log entry are what make it verifiable.
  await request.store.putAttestation(artifact, Buffer.from(text));
  const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
  return {
    path,
    digest,
    signer: "sigstore",
    verified: check.ok,
    ...(check.ok ? { identity: check.identity } : { problem: check.message }),
    ...(logIndex !== undefined ? { logIndex } : {}),
  };
}
