import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseDigest } from "../../core/artifact/digest.ts";
import { checkProvenance } from "../../core/pipeline/check-provenance.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { provenanceSetup, readTrustedRoots } from "../provenance-setup.ts";
import { UsageError } from "../usage-error.ts";
import { openCliStore } from "../pipeline-deps.ts";

const OPTIONS = {
  store: { type: "string" },
  key: { type: "string", multiple: true },
  builder: { type: "string", multiple: true },
  repository: { type: "string" },
  "trusted-root": { type: "string" },
  "signer-workflow": { type: "string" },
} as const satisfies CommandOptions;

export const verifyCommand: Command = {
  name: "verify",
  options: OPTIONS,
  summary: "verify an artifact's signed provenance",
  help: `Usage: aether verify DIGEST [options]

Checks the provenance stored beside the artifact: the signature by a trusted key (or, for a Sigstore
bundle, the certificate, the transparency log entry and the signing workflow's identity), the in-toto
statement, the SLSA v1 predicate type, the artifact digest among its subjects, the builder, and
(with --repository) the source repository. Exit code 0 when it verifies, 1 with the failing check.
Sigstore bundles from public repositories verify against Sigstore's public-good root, built in.

Options:
  --store URL          artifact store (default: .aether/store)
  --key FILE           trusted public key, repeatable (default: AETHER_TRUSTED_KEYS, or the public
                       half of AETHER_SIGNING_KEY)
  --builder ID         allowed builder id, repeatable (default: AETHER_ALLOWED_BUILDERS, or this
                       machine's and GitHub-hosted runners)
  --repository O/N     the repository the artifact must come from
  --trusted-root FILE  Sigstore trusted root(s), e.g. from \`gh attestation trusted-root\` (default:
                       AETHER_SIGSTORE_TRUSTED_ROOT, else Sigstore's public-good root, built in)
  --signer-workflow W  the workflow that must have signed a Sigstore bundle, e.g. a reusable one:
                       OWNER/REPO/.github/workflows/FILE[@REF] (default: AETHER_SIGSTORE_SIGNER_WORKFLOW)
  --json               print the result as JSON
  -h, --help           this help

Examples:
  aether verify sha256:5e1c… --key aether-signing.pub
  aether verify "$(aether build --json | jq -r .digest)" --repository acme/shop`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("verify", argv, OPTIONS);
    if (positionals.length !== 1 || !positionals[0])
      throw new UsageError("aether verify: give one artifact digest");
    const digest = parseDigest(positionals[0], "aether verify");
    const { requirements } = await provenanceSetup(ctx);
    const keys = values.key
      ? await Promise.all(values.key.map((k) => readFile(resolve(ctx.cwd, k), "utf8")))
      : undefined;
    const trustedRoot = values["trusted-root"];
    const signerWorkflow = values["signer-workflow"];
    const sigstore = {
      ...requirements.sigstore,
      ...(trustedRoot ? { trustedRoots: await readTrustedRoots(ctx, trustedRoot, "--trusted-root") } : {}),
      ...(signerWorkflow ? { signerWorkflow } : {}),
    };
    const store = openCliStore(ctx, values.store);
    const manifest = await store.getManifest(digest);
    const decision = await checkProvenance({
      store,
      digest,
      ...(manifest.sbom ? { sbomDigest: manifest.sbom.digest } : {}),
      requirements: {
        ...requirements,
        sigstore,
        required: true,
        ...(keys ? { trustedKeys: keys } : {}),
        ...(values.builder ? { allowedBuilders: values.builder } : {}),
        ...(values.repository ? { expectedRepository: values.repository } : {}),
      },
    });
    if (values.json) {
      ctx.stdout.write(JSON.stringify({ digest, ...decision }) + "\n");
    } else if (decision.verified) {
      ctx.stdout.write(
        `  ${ctx.style.ok("✔")} ${digest}\n  signed by ${decision.signedBy} · built by ${decision.builderId}\n`,
      );
    } else {
      ctx.stdout.write(
        `  ${ctx.style.fail("✖")} ${digest}: ${"check" in decision ? `${decision.check} check failed` : ""}\n  ${decision.message.replace(/\. Deploy refused because.*$/, ".")}\n`,
      );
    }
    return decision.verified ? 0 : 1;
  },
};
