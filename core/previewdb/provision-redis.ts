import { previewNames } from "./preview-names.ts";
import { cryptoRandom, newPassword, type RandomBytes } from "./random-source.ts";

/** The one Redis call these functions need; node-redis's client (`createClient()`) has it. */
export interface RedisCommander {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface ProvisionedRedis {
  username: string;
  /** A secret: goes into the environment's Secret, never into a log. */
  password: string;
  /** Every key the user may touch starts with this: `aether:<repo>:<env>:`. */
  keyPrefix: string;
  /** `redis://user:password@host:port` when `server` was given. */
  redisUrl?: string;
}

/**
 * Creates (or updates) the environment's Redis ACL user: a fresh password on every call, keys and channels
 * limited to its prefix, read/write/connection commands only, nothing from @dangerous or @admin (FLUSHALL,
 * CONFIG, KEYS, DEBUG…). The server's `default` user must have a password (or be off): an ACL user may
 * `AUTH` as any other user whose password it knows, and `nopass` is a password everyone knows.
 */
export async function provisionRedis(request: {
  client: RedisCommander;
  repository: string;
  env: string;
  random?: RandomBytes;
  server?: { host: string; port: number };
}): Promise<ProvisionedRedis> {
  const { role: username, keyPrefix } = previewNames(request);
  const password = newPassword(request.random ?? cryptoRandom);
  const pattern = `${escapeGlob(keyPrefix)}*`;
  await request.client.sendCommand([
    "ACL", "SETUSER", username,
    "reset", "on", `>${password}`,
    `~${pattern}`, `&${pattern}`,
    "-@all", "+@read", "+@write", "+@connection", "+@transaction", "+@string", "+@hash", "+@list", "+@set",
    "+@sortedset", "+@stream", "+@pubsub", "-@dangerous", "-@admin", "-@keyspace", "+del", "+unlink",
    "+exists", "+expire", "+pexpire", "+ttl", "+pttl", "+type", "+persist",
  ]); // prettier-ignore
  const result: ProvisionedRedis = { username, password, keyPrefix };
  if (request.server) {
    result.redisUrl = `redis://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${request.server.host}:${request.server.port}`;
  }
  return result;
}

/** Removes the environment's ACL user (which disconnects its clients) and every key under its prefix. */
export async function destroyRedis(request: {
  client: RedisCommander;
  repository: string;
  env: string;
}): Promise<{ deletedUser: boolean; deletedKeys: number }> {
  const { role: username, keyPrefix } = previewNames(request);
  const deleted = await request.client.sendCommand(["ACL", "DELUSER", username]);
  let cursor = "0";
  let deletedKeys = 0;
  do {
    const reply = await request.client.sendCommand([
      "SCAN",
      cursor,
      "MATCH",
      `${escapeGlob(keyPrefix)}*`,
      "COUNT",
      "500",
    ]);
    if (!Array.isArray(reply) || reply.length !== 2)
      throw new Error(`unexpected SCAN reply from Redis: ${typeof reply}`);
    const [next, keys]: unknown[] = reply;
    cursor = String(next);
    const names = Array.isArray(keys) ? keys.map(String) : [];
    if (names.length > 0) deletedKeys += Number(await request.client.sendCommand(["UNLINK", ...names]));
  } while (cursor !== "0");
  return { deletedUser: Number(deleted) > 0, deletedKeys };
}

/** Redis glob patterns treat * ? [ ] \ specially; a prefix must match only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
