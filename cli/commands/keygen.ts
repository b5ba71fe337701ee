import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { generateSigningKey } from "../../core/provenance/generate-signing-key.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";

const OPTIONS = { out: { type: "string" } } as const satisfies CommandOptions;

export const keygenCommand: Command = {
  name: "keygen",
  options: OPTIONS,
  summary: "make an Ed25519 key pair for signing provenance",
  help: `Usage: aether keygen [--out PREFIX]

Writes PREFIX.key (the private key, mode 0600; keep it secret, e.g. as a CI secret) and PREFIX.pub
(the public key, for AETHER_TRUSTED_KEYS wherever artifacts are verified). Refuses to overwrite.

Options:
  --out PREFIX   file name prefix (default: aether-signing)
  --json         print the key id and file paths as JSON
  -h, --help     this help

Examples:
  aether keygen --out ~/.aether/signing
  AETHER_SIGNING_KEY=~/.aether/signing.key aether deploy`,
  async run(argv, ctx) {
    const { values } = parseOptions("keygen", argv, OPTIONS);
    const prefix = resolve(ctx.cwd, values.out ?? "aether-signing");
    const key = generateSigningKey();
    // "wx": never replace a key someone may already rely on.
    await writeFile(`${prefix}.key`, key.privateKeyPem, { mode: 0o600, flag: "wx" });
    await writeFile(`${prefix}.pub`, key.publicKeyPem, { mode: 0o644, flag: "wx" });
    if (values.json) {
      ctx.stdout.write(
        JSON.stringify({ keyid: key.keyid, privateKey: `${prefix}.key`, publicKey: `${prefix}.pub` }) + "\n",
      );
    } else {
      ctx.stdout.write(
        `  ${ctx.style.ok("✔")} key ${key.keyid.slice(0, 16)}…\n` +
          `  private: ${prefix}.key (sign with AETHER_SIGNING_KEY=${prefix}.key)\n` +
          `  public:  ${prefix}.pub (verify with AETHER_TRUSTED_KEYS=${prefix}.pub)\n`,
      );
    }
    return 0;
  },
};
