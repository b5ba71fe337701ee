import type { Digest } from "../artifact/digest.ts";
import type { BuildContext } from "../provenance/build-context-from-env.ts";
import { buildStatement } from "../provenance/build-statement.ts";
import type { ProvenanceSigner } from "../provenance/provenance-signer.ts";
import { encodeEnvelope, signStatement } from "../provenance/sign-statement.ts";
import type { ArtifactStore } from "../store/store.ts";

/**
 * Signs the provenance of a stored artifact (subjects: the artifact digest and, when there is one, the
 * SBOM's) and stores the envelope beside the artifact, where a deploy looks for it.
 */
export async function attestArtifact(request: {
  store: ArtifactStore;
  digest: Digest;
  sbom?: { name: string; digest: Digest };
  signer: ProvenanceSigner;
  context: BuildContext;
  startedOn: string;
  finishedOn: string;
}): Promise<{ keyid: string; signer: string }> {
  const statement = buildStatement({
    artifact: request.digest,
    subjects: request.sbom ? [request.sbom] : [],
    context: request.context,
    startedOn: request.startedOn,
    finishedOn: request.finishedOn,
  });
  const envelope = await signStatement(statement, request.signer);
  await request.store.putAttestation(request.digest, Buffer.from(encodeEnvelope(envelope) + "\n"));
  return { keyid: request.signer.keyid, signer: request.signer.kind };
}
