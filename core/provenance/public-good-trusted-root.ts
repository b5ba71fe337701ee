// Sigstore's public-good trusted root (Fulcio at fulcio.sigstore.dev, Rekor at rekor.sigstore.dev, its CT
// logs and timestamp authority), built in so a bundle from a public repository's workflow verifies with no
// setup. Imported as JSON (not read from disk) so that esbuild bundles it into the actions.
//
// Where it came from: sigstore/sigstore-python, sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/
// trusted_root.json at commit ee6c64d35d8e4aef9c07373f54351ccc4b8a5732 (Apache-2.0), itself the
// `trusted_root.json` target of Sigstore's TUF repository (https://tuf-repo-cdn.sigstore.dev), copied byte for
// byte (sha256 6a0c056d20e3e5a7c04f55c2d1f296e7e422edbbf73bf93d36fb8fd2bfe3fcce). Cross-checked: the same
// Fulcio root and intermediate certificates, Rekor key and log id (wNI9atQG…), and CT log keys are in
// sigstore/root-signing targets/trusted_root.json at cdc6d42ede8a8f8aac28506e4c2a8253da31866f and in
// sigstore/sigstore-go pkg/root/trusted-root-public-good.json at db514cc1265924a583a79bca4b286e340b3dca35
// (public-good-trusted-root.test.ts pins their fingerprints). How to refresh it: docs/provenance.md.
import raw from "./public-good-trusted-root.json" with { type: "json" };
import { parseSigstoreTrustedRoot, type SigstoreTrustedRoot } from "./sigstore-trust-root.ts";

/** Names the built-in root in messages. */
export const PUBLIC_GOOD_TRUSTED_ROOT_WHERE = "Sigstore public-good trusted root (built in)";

let parsed: SigstoreTrustedRoot | undefined;

/** Sigstore's public-good trusted root, as shipped with Aether (parsed once). */
export function publicGoodTrustedRoot(): SigstoreTrustedRoot {
  parsed ??= parseSigstoreTrustedRoot(JSON.stringify(raw), PUBLIC_GOOD_TRUSTED_ROOT_WHERE);
  return parsed;
}
