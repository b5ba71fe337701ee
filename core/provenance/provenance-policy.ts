import type { ProvenanceCheck, ProvenanceVerification } from "./verify-provenance.ts";

export type ProvenanceDecision =
  | {
      proceed: true;
      verified: true;
      label: "verified";
      keyid: string;
      builderId: string;
      /** Who signed, for people: `key 3f2a…` or, for Sigstore, the signing workflow and the root that vouched. */
      signedBy: string;
    }
  | {
      proceed: true;
      verified: false;
      label: `unverified: ${string}`;
      check: ProvenanceCheck;
      message: string;
    }
  | { proceed: false; verified: false; check: ProvenanceCheck; message: string };

/**
 * What a deploy does with a verification result. With `required` (`AETHER_REQUIRE_PROVENANCE=1` or
 * `requireProvenance: true`) any failure refuses the deploy with the failing check's message; without it the
 * deploy goes on and the artifact is labelled `unverified: <reason>` (short, for a table cell; the full
 * message is beside it) wherever the deploy is reported.
 * @example const decision = provenancePolicy({ required: config.requireProvenance, result });
 *          if (!decision.proceed) throw new Error(decision.message);
 */
export function provenancePolicy(request: {
  required: boolean;
  result: ProvenanceVerification;
}): ProvenanceDecision {
  const { result } = request;
  if (result.ok) {
    return {
      proceed: true,
      verified: true,
      label: "verified",
      keyid: result.keyid,
      builderId: result.builderId,
      signedBy: result.sigstore
        ? `${result.sigstore.signer} (Sigstore, ${result.sigstore.trustedRoot})`
        : `key ${result.keyid.slice(0, 16)}…`,
    };
  }
  if (request.required) {
    return {
      proceed: false,
      verified: false,
      check: result.check,
      message:
        `${result.message}. Deploy refused because provenance is required ` +
        `(AETHER_REQUIRE_PROVENANCE=1 or requireProvenance: true).`,
    };
  }
  return {
    proceed: true,
    verified: false,
    label:
      result.check === "missing" ? "unverified: no provenance" : `unverified: ${result.check} check failed`,
    check: result.check,
    message: result.message,
  };
}
