import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  X509Certificate,
  createPublicKey,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { canonicalJson } from "../../../core/artifact/canonical-json.ts";
import { pae } from "../../../core/provenance/pae.ts";
import { certificatePem, issueCertificate } from "./issue-certificate.ts";

/** What each service was asked, for assertions. */
export interface SigstoreRequests {
  tokens: { audience: string | null }[];
  certificates: { subject: string; identity: string }[];
  entries: { kind: string; logIndex: number }[];
}

/** Local stand-ins for the runner's OIDC token service, Fulcio and Rekor, speaking their real protocols. */
export interface SigstoreServers {
  /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, as the runner sets them for `id-token: write`. */
  oidc: { requestUrl: string; requestToken: string; issuer: string };
  fulcioUrl: string;
  rekorUrl: string;
  /** The test CA's certificate (PEM), which signed every leaf certificate. */
  caCertificate: string;
  /** Rekor's public key (SPKI PEM), which signs each signed entry timestamp. */
  rekorPublicKey: string;
  requests: SigstoreRequests;
  stop: () => Promise<void>;
}

const FIRST_LOG_INDEX = 4242;
const CA_NAME = { commonName: "aether-test-fulcio", organization: "aether test" };

/**
 * Starts one HTTP server on 127.0.0.1 answering, under three prefixes:
 * - `/oidc/token?audience=…` (GET, `Authorization: Bearer <requestToken>`): `{"value": "<ES256 JWT>"}` with the
 *   claims GitHub puts in a job's token;
 * - `/fulcio/api/v2/signingCert` (POST): checks the JWT's signature and audience and the proof of possession
 *   (the subject signed with the submitted key), then issues a short-lived X.509 certificate from a test CA
 *   with the workflow identity as URI SAN and Fulcio's issuer extension;
 * - `/rekor/api/v1/log/entries` (POST, a `dsse` v0.0.1 proposed entry): checks the envelope's signature with
 *   the verifier's certificate, logs it and answers with the canonicalized body and a signed entry timestamp.
 */
export async function startSigstoreServers(options: {
  repository: string;
  /** Fulcio extensions (OID → value) every leaf certificate also gets, e.g. a reusable workflow's. */
  fulcioExtensions?: Readonly<Record<string, string>>;
}): Promise<SigstoreServers> {
  const issuerKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const rekorKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const now = Date.now();
  const caCertificate = certificatePem(
    issueCertificate({
      subjectKey: caKeys.publicKey,
      subject: CA_NAME,
      issuer: CA_NAME,
      issuerKey: caKeys.privateKey,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 3_600_000),
      ca: true,
    }),
  );
  const requestToken = randomBytes(16).toString("hex");
  const requests: SigstoreRequests = { tokens: [], certificates: [], entries: [] };
  const rekorPublicDer = rekorKeys.publicKey.export({ type: "spki", format: "der" });
  const logId = createHash("sha256").update(rekorPublicDer).digest("hex");
  let base = "";

  const jwt = (claims: Record<string, unknown>): string => {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "ES256", typ: "JWT", kid: "test" })}.${encode(claims)}`;
    const signature = sign("sha256", Buffer.from(unsigned), {
      key: issuerKeys.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${unsigned}.${signature.toString("base64url")}`;
  };

  const handlers: Record<string, (req: IncomingMessage, body: string, res: ServerResponse) => void> = {
    "GET /oidc/token": (req, _body, res) => {
      const audience = new URL(req.url ?? "", base).searchParams.get("audience");
      requests.tokens.push({ audience });
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return reply(res, 403, { message: "bad request token" });
      const seconds = Math.floor(Date.now() / 1000);
      const workflow = `${options.repository}/.github/workflows/deploy.yml@refs/heads/main`;
      return reply(res, 200, {
        value: jwt({
          iss: `${base}/oidc`,
          aud: audience,
          sub: `repo:${options.repository}:ref:refs/heads/main`,
          iat: seconds,
          nbf: seconds,
          exp: seconds + 300,
          repository: options.repository,
          ref: "refs/heads/main",
          workflow_ref: workflow,
          job_workflow_ref: workflow,
        }),
      });
    },
    "POST /fulcio/api/v2/signingCert": (_req, body, res) => {
      const request = JSON.parse(body) as {
        credentials?: { oidcIdentityToken?: string };
        publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: string };
      };
      const token = request.credentials?.oidcIdentityToken ?? "";
      const [header = "", payload = "", signature = ""] = token.split(".");
      const signed = verify(
        "sha256",
        Buffer.from(`${header}.${payload}`),
        { key: issuerKeys.publicKey, dsaEncoding: "ieee-p1363" },
        Buffer.from(signature, "base64url"),
      );
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString() || "{}") as Record<
        string,
        unknown
      >;
      if (!signed || claims["aud"] !== "sigstore" || Number(claims["exp"]) * 1000 < Date.now()) {
        return reply(res, 401, {
          code: 401,
          message: "the identity token is not valid for audience sigstore",
        });
      }
      const keyPem = request.publicKeyRequest?.publicKey?.content ?? "";
      const subjectKey = createPublicKey(keyPem);
      const proof = Buffer.from(request.publicKeyRequest?.proofOfPossession ?? "", "base64");
      if (!verify(null, Buffer.from(String(claims["sub"])), subjectKey, proof)) {
        return reply(res, 400, { code: 400, message: "the proof of possession does not verify" });
      }
      const identity = `https://github.com/${String(claims["job_workflow_ref"])}`;
      requests.certificates.push({ subject: String(claims["sub"]), identity });
      const leaf = certificatePem(
        issueCertificate({
          subjectKey,
          issuer: CA_NAME,
          issuerKey: caKeys.privateKey,
          notBefore: new Date(Date.now() - 1000),
          notAfter: new Date(Date.now() + 600_000),
          ca: false,
          uri: identity,
          oidcIssuer: String(claims["iss"]),
          ...(options.fulcioExtensions ? { fulcioExtensions: options.fulcioExtensions } : {}),
        }),
      );
      return reply(res, 201, {
        signedCertificateEmbeddedSct: { chain: { certificates: [leaf, caCertificate] } },
      });
    },
    "POST /rekor/api/v1/log/entries": (_req, body, res) => {
      const proposed = JSON.parse(body) as {
        kind?: string;
        apiVersion?: string;
        spec?: { proposedContent?: { envelope?: string; verifiers?: string[] } };
      };
      const content = proposed.spec?.proposedContent;
      if (proposed.kind !== "dsse" || !content?.envelope || !content.verifiers?.[0]) {
        return reply(res, 400, { code: 400, message: "expected a dsse v0.0.1 proposed entry" });
      }
      const envelope = JSON.parse(content.envelope) as {
        payloadType: string;
        payload: string;
        signatures: { sig: string }[];
      };
      const verifier = content.verifiers[0];
      const certificate = new X509Certificate(Buffer.from(verifier, "base64").toString());
      const payload = Buffer.from(envelope.payload, "base64");
      const signature = envelope.signatures[0]?.sig ?? "";
      if (
        !verify(
          "sha256",
          pae(envelope.payloadType, payload),
          certificate.publicKey,
          Buffer.from(signature, "base64"),
        )
      ) {
        return reply(res, 400, {
          code: 400,
          message: "the envelope's signature does not verify with the verifier",
        });
      }
      const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");
      const entryBody = {
        apiVersion: "0.0.1",
        kind: "dsse",
        spec: {
          envelopeHash: { algorithm: "sha256", value: sha256(content.envelope) },
          payloadHash: { algorithm: "sha256", value: sha256(payload) },
          signatures: [{ signature, verifier }],
        },
      };
      // A log that has been running a while: protobuf JSON would drop an index of 0 as a default value.
      const logIndex = FIRST_LOG_INDEX + requests.entries.length;
      requests.entries.push({ kind: "dsse", logIndex });
      const encoded = Buffer.from(canonicalJson(entryBody)).toString("base64");
      const integratedTime = Math.floor(Date.now() / 1000);
      const set = sign(
        "sha256",
        Buffer.from(canonicalJson({ body: encoded, integratedTime, logID: logId, logIndex })),
        rekorKeys.privateKey,
      );
      const uuid = sha256(Buffer.concat([Buffer.from([0]), Buffer.from(encoded, "base64")]));
      return reply(res, 201, {
        [uuid]: {
          body: encoded,
          integratedTime,
          logID: logId,
          logIndex,
          verification: { signedEntryTimestamp: set.toString("base64") },
        },
      });
    },
  };

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const handler = handlers[`${req.method ?? ""} ${path}`];
      try {
        if (handler) handler(req, body, res);
        else reply(res, 404, { code: 404, message: `no route ${req.method ?? ""} ${path}` });
      } catch (error) {
        reply(res, 400, { code: 400, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    oidc: { requestUrl: `${base}/oidc/token?api-version=2.0`, requestToken, issuer: `${base}/oidc` },
    fulcioUrl: `${base}/fulcio`,
    rekorUrl: `${base}/rekor`,
    caCertificate,
    rekorPublicKey: rekorKeys.publicKey.export({ type: "spki", format: "pem" }).toString(),
    requests,
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
