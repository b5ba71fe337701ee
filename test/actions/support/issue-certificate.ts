import { randomBytes, sign, type KeyObject } from "node:crypto";
import {
  bitString,
  boolean,
  der,
  explicit,
  integer,
  octets,
  oid,
  sequence,
  set,
  utcTime,
  utf8,
} from "./der.ts";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

/** What a test certificate authority puts in a certificate it issues. */
export interface CertificateRequest {
  subjectKey: KeyObject;
  /** Common name and organization; Fulcio leaves a leaf's subject empty (the identity is in the SAN). */
  subject?: { commonName: string; organization: string };
  issuer: { commonName: string; organization: string };
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  /** A URI subject alternative name: the workflow identity, for a Fulcio leaf. */
  uri?: string;
  /** Fulcio's OIDC issuer extension (1.3.6.1.4.1.57264.1.1). */
  oidcIssuer?: string;
  /** More of Fulcio's extensions, OID → value, each written as a DER UTF8String (as Fulcio writes …1.8 on). */
  fulcioExtensions?: Readonly<Record<string, string>>;
}

/** A DER X.509 v3 certificate signed with ECDSA P-256/SHA-256 by `issuerKey`, as Fulcio issues them. */
export function issueCertificate(request: CertificateRequest): Buffer {
  const name = (n: { commonName: string; organization: string }): Buffer =>
    sequence(
      set(sequence(oid("2.5.4.10"), utf8(n.organization))),
      set(sequence(oid("2.5.4.3"), utf8(n.commonName))),
    );
  const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
    sequence(oid(id), ...(critical ? [boolean(true)] : []), octets(value));
  const extensions = request.ca
    ? [
        extension("2.5.29.19", true, sequence(boolean(true))),
        extension("2.5.29.15", true, bitString(Buffer.from([0x06]), 1)),
      ]
    : [
        extension("2.5.29.15", true, bitString(Buffer.from([0x80]), 7)),
        extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.3"))),
        ...(request.uri ? [extension("2.5.29.17", true, sequence(der(0x86, Buffer.from(request.uri))))] : []),
        ...(request.oidcIssuer
          ? [extension("1.3.6.1.4.1.57264.1.1", false, Buffer.from(request.oidcIssuer))]
          : []),
        ...Object.entries(request.fulcioExtensions ?? {}).map(([id, value]) =>
          extension(id, false, utf8(value)),
        ),
      ];
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    sequence(oid(ECDSA_WITH_SHA256)),
    name(request.issuer),
    sequence(utcTime(request.notBefore), utcTime(request.notAfter)),
    request.subject ? name(request.subject) : sequence(),
    request.subjectKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, request.issuerKey);
  return sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), bitString(signature));
}

/** PEM text of a DER certificate. */
export function certificatePem(certificate: Buffer): string {
  const lines = certificate.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
