import { generateKeyPairSync, verify, X509Certificate, createPublicKey } from "node:crypto";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../core/artifact/canonical-json.ts";
import type { Digest } from "../../core/artifact/digest.ts";
import { parseEnvelope } from "../../core/provenance/parse-envelope.ts";
import { verifyProvenance } from "../../core/provenance/verify-provenance.ts";
import { openStore } from "../../core/store/open-store.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { runAction } from "../support/run-action.ts";
import { actionWorkspace, type ActionWorkspace } from "./support/action-workspace.ts";
import { startSigstoreServers, type SigstoreServers } from "./support/sigstore-servers.ts";

const push = webhookExample("push");
const event = { name: "push", payload: push };
const REPOSITORY = "Codertocat/Hello-World";

let ws: ActionWorkspace;
let digest: Digest;
let manifest: string;

beforeAll(async () => {
  ws = await actionWorkspace("node-express");
  const built = await runAction({
    action: "build",
    inputs: { path: "app", store: ws.store },
    workspace: ws.workspace,
    runnerTemp: ws.runnerTemp,
    event,
  });
  expect(built.code, built.stdout).toBe(0);
  digest = built.outputs["digest"] as Digest;
  manifest = built.outputs["manifest"]!;
}, 60_000);
afterAll(() => ws.remove());

const sbom = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ action: "sbom", inputs, workspace: ws.workspace, runnerTemp: ws.runnerTemp, event, env });

const store = () => openStore(ws.store, { cwd: ws.workspace, env: {} });

describe("actions/sbom, run as the runner runs it", () => {
  it("signs with an Ed25519 key: the stored SBOM, provenance a deploy verifies, a summary", async () => {
    const keys = generateKeyPairSync("ed25519");
    const pem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const run = await sbom({ path: "app", manifest, "signing-key": pem });
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    // The runner masks what ::add-mask:: names; nothing else may show the key.
    const masked = run.stdout.split("\n").filter((l) => l.startsWith("::add-mask::"));
    expect(masked.length).toBeGreaterThan(0);
    expect(
      run.stdout
        .split("\n")
        .filter((l) => !l.startsWith("::add-mask::"))
        .join("\n"),
    ).not.toContain(pem.split("\n")[1]!);
    const stored = await store().getManifest(digest);
    expect(run.outputs["sbom-digest"]).toBe(stored.sbom?.digest);
    expect(run.outputs["sbom-path"]).toMatch(/aether-sbom\/[0-9a-f]{12}\/sbom\.cdx\.json$/);
    expect(JSON.parse(await readFile(run.outputs["sbom-path"]!, "utf8"))).toMatchObject({
      bomFormat: "CycloneDX",
    });
    expect(run.outputs["provenance-path"]).toMatch(/provenance\.intoto\.jsonl$/);
    expect(run.outputs["verified"]).toBe("true");

    const attestation = await store().getAttestation(digest);
    expect(attestation?.toString()).toBe(await readFile(run.outputs["provenance-path"]!, "utf8"));
    const check = verifyProvenance({
      envelope: parseEnvelope(attestation!.toString(), "stored attestation"),
      artifactDigest: digest,
      sbomDigest: stored.sbom!.digest,
      trustedKeys: [createPublicKey(pem).export({ type: "spki", format: "pem" }).toString()],
      allowedBuilders: ["https://github.com/actions/runner/github-hosted"],
      expectedRepository: REPOSITORY,
    });
    expect(check).toMatchObject({ ok: true });
    expect(run.summary).toContain("## ✅ Aether SBOM and provenance");
    expect(run.summary).toMatch(
      /\| SBOM \| CycloneDX 1\.6 JSON · \d+ components · `sha256:.{9}` \(as stored by the build\) \|/,
    );
    expect(run.summary).toContain("| Provenance | SLSA v1 · Ed25519 key · ✔ verified");
    expect(run.summary).toMatch(/<summary>Direct dependencies \(1\)<\/summary>[\s\S]*\| express \| \d+\./);
  });

  it("makes an XML SBOM with dev packages from the lockfile and names both SBOMs in the provenance", async () => {
    const keys = generateKeyPairSync("ed25519");
    const pem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const run = await sbom(
      { path: "app", digest, store: ws.store, format: "xml", "include-dev": "true" },
      { AETHER_SIGNING_KEY: pem },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs["sbom-path"]).toMatch(/sbom\.cdx\.xml$/);
    expect(await readFile(run.outputs["sbom-path"]!, "utf8")).toContain(
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"',
    );
    const stored = await store().getManifest(digest);
    expect(run.outputs["sbom-digest"]).not.toBe(stored.sbom?.digest);
    const envelope = parseEnvelope(await readFile(run.outputs["provenance-path"]!, "utf8"), "provenance");
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString()) as {
      subject: { name: string; digest: { sha256: string } }[];
    };
    expect(statement.subject.map((s) => s.name)).toEqual(["artifact", "sbom.cdx.json", "sbom.cdx.xml"]);
    expect(run.summary).toContain("(from the lockfiles)");
  });

  it("leaves the provenance unsigned with a warning when there is no OIDC token and no key", async () => {
    const before = (await store().getAttestation(digest))?.toString();
    const run = await sbom({ path: "app", manifest });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      /::warning title=Aether provenance unsigned::the provenance is not signed: .*id-token: write/,
    );
    expect(run.outputs["verified"]).toBe("false");
    expect(run.outputs["provenance-path"]).toMatch(/provenance\.intoto\.json$/);
    expect(run.summary).toContain("⚠ unsigned");
    // A deploy must never find an unsigned statement: the stored attestation is untouched.
    expect((await store().getAttestation(digest))?.toString()).toBe(before);
  });

  it("fails with an annotation on bad input, storing nothing", async () => {
    const before = (await store().getAttestation(digest))?.toString();
    const none = await sbom({ path: "app" });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      "::error title=Aether SBOM failed::Input required and not supplied: digest or manifest",
    );
    expect(none.outputs).toEqual({});
    const wrongStore = await sbom({ path: "app", digest, store: "ftp://example.com/x" });
    expect(wrongStore.code).toBe(1);
    expect(wrongStore.stdout).toMatch(
      /::error title=Aether SBOM failed::store URL "ftp:\/\/example.com\/x": "ftp:" is not a store scheme/,
    );
    const badFormat = await sbom({ path: "app", manifest, format: "spdx" });
    expect(badFormat.stdout).toContain(
      '::error title=Aether SBOM failed::input format: "spdx" is not an SBOM format; use json or xml',
    );
    const badKey = await sbom({
      path: "app",
      manifest,
      "signing-key": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    });
    expect(badKey.code).toBe(1);
    expect(badKey.stdout).toContain("input signing-key: not a PKCS#8 private key: it is a public key");
    expect((await store().getAttestation(digest))?.toString()).toBe(before);
  });

  it("points the annotation at the lockfile line it cannot read", async () => {
    const broken = join(ws.workspace, "broken");
    await mkdir(broken, { recursive: true });
    await copyFile(join(ws.workspace, "app", "package.json"), join(broken, "package.json"));
    const lockfile = await readFile(join(ws.workspace, "app", "package-lock.json"), "utf8");
    await writeFile(join(broken, "package-lock.json"), lockfile.slice(0, Math.floor(lockfile.length / 2)));
    const run = await sbom({ path: "broken", manifest, format: "xml" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error title=Aether SBOM failed,file=broken\/package-lock\.json,line=\d+::/);
  });
});

describe("actions/sbom with Sigstore (id-token: write), against local OIDC, Fulcio and Rekor", () => {
  let sigstore: SigstoreServers;
  beforeAll(async () => {
    sigstore = await startSigstoreServers({ repository: REPOSITORY });
  });
  afterAll(() => sigstore.stop());

  const oidcEnv = () => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: sigstore.oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: sigstore.oidc.requestToken,
  });
  const urls = () => ({ "fulcio-url": sigstore.fulcioUrl, "rekor-url": sigstore.rekorUrl });

  it("gets a certificate for the job's identity, logs the signature, and stores the envelope and bundle", async () => {
    const run = await sbom({ path: "app", manifest, ...urls() }, oidcEnv());
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain(sigstore.oidc.requestToken);
    expect(sigstore.requests.tokens).toEqual([{ audience: "sigstore" }]);
    expect(run.outputs["verified"]).toBe("true");
    expect(run.outputs["provenance-path"]).toMatch(/provenance\.sigstore\.json$/);
    const text = await readFile(run.outputs["provenance-path"]!, "utf8");
    const bundle = JSON.parse(text) as {
      mediaType: string;
      verificationMaterial: {
        certificate: { rawBytes: string };
        tlogEntries: {
          logIndex: string;
          integratedTime: string;
          logId: { keyId: string };
          canonicalizedBody: string;
          inclusionPromise: { signedEntryTimestamp: string };
        }[];
      };
      dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
    };
    expect(bundle.mediaType).toBe("application/vnd.dev.sigstore.bundle.v0.3+json");

    // The certificate: issued by the test CA for the workflow's identity.
    const leaf = new X509Certificate(Buffer.from(bundle.verificationMaterial.certificate.rawBytes, "base64"));
    expect(leaf.verify(new X509Certificate(sigstore.caCertificate).publicKey)).toBe(true);
    const identity = `https://github.com/${REPOSITORY}/.github/workflows/deploy.yml@refs/heads/main`;
    expect(leaf.subjectAltName).toBe(`URI:${identity}`);

    // The log entry: Rekor's signed entry timestamp over what it logged.
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    expect(entry.logIndex).toBe("4242");
    const signedTimestamp = canonicalJson({
      body: entry.canonicalizedBody,
      integratedTime: Number(entry.integratedTime),
      logID: Buffer.from(entry.logId.keyId, "base64").toString("hex"),
      logIndex: Number(entry.logIndex),
    });
    const set = Buffer.from(entry.inclusionPromise.signedEntryTimestamp, "base64");
    expect(verify("sha256", Buffer.from(signedTimestamp), sigstore.rekorPublicKey, set)).toBe(true);

    // The store: the DSSE envelope where a deploy looks for it, the whole bundle by its digest.
    const attestation = parseEnvelope((await store().getAttestation(digest))!.toString(), "attestation");
    expect(attestation.payload).toBe(bundle.dsseEnvelope.payload);
    expect(attestation.signatures[0]?.sig).toBe(bundle.dsseEnvelope.signatures[0]?.sig);
    expect(await store().hasBlob(run.outputs["provenance-digest"] as Digest)).toBe(true);
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString()) as {
      subject: { digest: { sha256: string } }[];
    };
    expect(statement.subject[0]?.digest.sha256).toBe(digest.slice(7));

    expect(run.summary).toContain("| Provenance | SLSA v1 · Sigstore (keyless) · ✔ verified");
    expect(run.summary).toContain(`| Signed by | \`${identity}\` |`);
    expect(run.summary).toContain("| Transparency log | entry 4242 |");
  });

  it("fails with a clear annotation when the runner refuses the OIDC token, storing nothing", async () => {
    const before = (await store().getAttestation(digest))?.toString();
    const run = await sbom(
      { path: "app", manifest, ...urls() },
      { ...oidcEnv(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: "not-the-token" },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=Aether SBOM failed::could not get the job\'s OIDC token for Sigstore: the runner refused an OIDC token for audience "sigstore" (HTTP 403); give the job `permissions: id-token: write`',
    );
    expect(run.stdout).not.toContain("not-the-token");
    expect((await store().getAttestation(digest))?.toString()).toBe(before);
  });

  it("fails with a clear annotation when Fulcio cannot be reached", async () => {
    const run = await sbom(
      { path: "app", manifest, "fulcio-url": "http://127.0.0.1:9", "rekor-url": sigstore.rekorUrl },
      oidcEnv(),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=Aether SBOM failed::Fulcio \(http:\/\/127\.0\.0\.1:9\) did not issue a signing certificate/,
    );
  });
});
