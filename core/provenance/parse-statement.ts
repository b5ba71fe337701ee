import {
  STATEMENT_TYPE,
  type ProvenanceStatement,
  type ResourceDescriptor,
  type RunDetails,
  type StatementSubject,
} from "./provenance-types.ts";

/** A statement as far as its outer layer goes; the predicate is checked once its type is known. */
export interface ParsedStatement {
  /** The whole statement as signed; only the fields below have been checked. */
  statement: ProvenanceStatement;
  subject: StatementSubject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** What verification reads from a SLSA v1 predicate. */
export interface ParsedSlsaPredicate {
  builderId: string;
  resolvedDependencies: ResourceDescriptor[];
  runDetails: RunDetails;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses the in-toto Statement v1 layer of a verified payload. */
export function parseStatement(payload: Buffer): Parsed<ParsedStatement> {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString("utf8"));
  } catch (error) {
    return { ok: false, message: `the payload is not JSON (${(error as Error).message})` };
  }
  const obj = record(raw);
  if (!obj) return { ok: false, message: "the payload is not a JSON object" };
  if (obj["_type"] !== STATEMENT_TYPE) {
    return { ok: false, message: `_type is ${JSON.stringify(obj["_type"])}, expected ${STATEMENT_TYPE}` };
  }
  const subjects = obj["subject"];
  if (!Array.isArray(subjects) || subjects.length === 0) {
    return { ok: false, message: "subject must be a non-empty array" };
  }
  const subject: StatementSubject[] = [];
  for (const [i, s] of subjects.entries()) {
    const item = record(s);
    const digest = record(item?.["digest"]);
    const sha256 = digest?.["sha256"];
    if (!item || typeof item["name"] !== "string" || !digest || typeof sha256 !== "string") {
      return { ok: false, message: `subject[${i}] must have a name and a digest.sha256` };
    }
    subject.push({ name: item["name"], digest: { ...stringsOnly(digest), sha256 } });
  }
  const predicateType = obj["predicateType"];
  if (typeof predicateType !== "string") return { ok: false, message: "predicateType must be a string" };
  const predicate = record(obj["predicate"]);
  if (!predicate) return { ok: false, message: "predicate must be an object" };
  // The parsing boundary: the fields verification relies on are checked above; the rest is carried as signed.
  const statement = raw as ProvenanceStatement;
  return { ok: true, value: { statement, subject, predicateType, predicate } };
}

/** Parses the parts of a SLSA Provenance v1 predicate that verification decides on. */
export function parseSlsaPredicate(predicate: Record<string, unknown>): Parsed<ParsedSlsaPredicate> {
  const buildDefinition = record(predicate["buildDefinition"]);
  const runDetails = record(predicate["runDetails"]);
  if (!buildDefinition || typeof buildDefinition["buildType"] !== "string") {
    return { ok: false, message: "predicate.buildDefinition.buildType is missing" };
  }
  const builder = record(runDetails?.["builder"]);
  const builderId = builder?.["id"];
  if (typeof builderId !== "string")
    return { ok: false, message: "predicate.runDetails.builder.id is missing" };
  const deps = buildDefinition["resolvedDependencies"] ?? [];
  if (!Array.isArray(deps))
    return { ok: false, message: "predicate.buildDefinition.resolvedDependencies must be an array" };
  const resolvedDependencies: ResourceDescriptor[] = [];
  for (const d of deps) {
    const item = record(d);
    if (!item) continue;
    const uri = item["uri"];
    const digest = record(item["digest"]);
    resolvedDependencies.push({
      ...(typeof uri === "string" ? { uri } : {}),
      ...(digest ? { digest: stringsOnly(digest) } : {}),
    });
  }
  const metadata = record(runDetails?.["metadata"]);
  const invocationId = metadata?.["invocationId"];
  return {
    ok: true,
    value: {
      builderId,
      resolvedDependencies,
      runDetails: {
        builder: { id: builderId },
        ...(typeof invocationId === "string" ? { metadata: { invocationId } } : {}),
      },
    },
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringsOnly(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === "string") out[k] = v;
  return out;
}
