import { createHash } from "node:crypto";
import type { SqlSession } from "./postgres-admin.ts";

/**
 * Runs `fn` holding a session-level advisory lock named by `name` (hashed to a bigint), so two callers
 * provisioning or destroying the same environment at once take turns instead of racing on CREATE ROLE.
 */
export async function withAdvisoryLock<T>(
  session: SqlSession,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const key = createHash("sha256").update(`aether-previewdb:${name}`).digest().readBigInt64BE(0).toString();
  await session.query("SELECT pg_advisory_lock($1::bigint)", [key]);
  try {
    return await fn();
  } finally {
    await session.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => undefined);
  }
}
