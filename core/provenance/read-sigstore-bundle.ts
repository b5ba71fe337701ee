import { assertBundle, ValidationError, type Bundle } from "@sigstore/bundle";
import { Bundle as ProtoBundle } from "@sigstore/protobuf-specs";

/**
 * A Sigstore bundle (any version, v0.1 to v0.3) from its JSON form, its shape checked as Sigstore's
 * validator checks every version. Unlike `bundleFromJSON`, a v0.3 log entry is not required to carry an
 * inclusion proof: an entry with only a signed entry timestamp (what Rekor answers on upload) is read, and
 * the verifier checks whichever of the two it has. Throws `ValidationError` naming the bad fields.
 */
export function readSigstoreBundle(json: unknown): Bundle {
  const bundle = ProtoBundle.fromJSON(json);
  try {
    assertBundle(bundle);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(`${error.message}: ${error.fields.join(", ")}`, error.fields);
    }
    throw error;
  }
  return bundle;
}
