import type { Digest } from "../artifact/digest.ts";
import type { BuildContext } from "./build-context-from-env.ts";
import { createStatement } from "./create-statement.ts";
import type { ProvenanceStatement } from "./provenance-types.ts";

/**
 * The provenance statement of one build of an artifact, as every signer makes it: the artifact (its manifest
 * digest, named `artifact`) first among the subjects, then its SBOMs; the build context; the start and finish
 * times in the run details. The CLI's build (`attestArtifact`) and the sbom action both sign this.
 * @example buildStatement({ artifact, subjects: [{ name: "sbom.cdx.json", digest: sbom }], context,
 *            startedOn, finishedOn })
 */
export function buildStatement(request: {
  artifact: Digest;
  /** The SBOMs (and anything else) the statement is about besides the artifact. */
  subjects: readonly { name: string; digest: Digest }[];
  context: BuildContext;
  startedOn: string;
  finishedOn: string;
}): ProvenanceStatement {
  const { context } = request;
  return createStatement({
    subjects: [{ name: "artifact", digest: request.artifact }, ...request.subjects],
    buildDefinition: context.buildDefinition,
    runDetails: {
      ...context.runDetails,
      metadata: {
        ...context.runDetails.metadata,
        startedOn: request.startedOn,
        finishedOn: request.finishedOn,
      },
    },
  });
}
