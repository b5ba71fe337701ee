import { previewNames } from "./preview-names.ts";
import { cryptoRandom, newPassword, type RandomBytes } from "./random-source.ts";

/** The part of the `mongodb` driver's MongoClient these functions call. */
export interface MongoAdmin {
  db(name: string): {
    command(command: Record<string, unknown>): Promise<Record<string, unknown>>;
    dropDatabase(): Promise<unknown>;
  };
}

export interface ProvisionedMongo {
  database: string;
  username: string;
  /** A secret: goes into the environment's Secret, never into a log. */
  password: string;
  /** `mongodb://user:password@hosts/db?authSource=db` when `hosts` was given. */
  mongoUrl?: string;
}

/**
 * Creates the environment's MongoDB database user (readWrite on its own database only, authenticating
 * against that database), or rotates its password when it exists. The database itself appears on first
 * write, as MongoDB databases do.
 */
export async function provisionMongo(request: {
  client: MongoAdmin;
  repository: string;
  env: string;
  random?: RandomBytes;
  /** `host:port[,host:port]` the app connects to, for the returned URL. */
  hosts?: string;
}): Promise<ProvisionedMongo> {
  const { database, role: username } = previewNames(request);
  const password = newPassword(request.random ?? cryptoRandom);
  const db = request.client.db(database);
  const info = await db.command({ usersInfo: username });
  const users = info["users"];
  const exists = Array.isArray(users) && users.length > 0;
  const roles = [{ role: "readWrite", db: database }];
  await db.command(
    exists ? { updateUser: username, pwd: password, roles } : { createUser: username, pwd: password, roles },
  );
  const result: ProvisionedMongo = { database, username, password };
  if (request.hosts !== undefined) {
    result.mongoUrl = `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${request.hosts}/${database}?authSource=${database}`;
  }
  return result;
}

/** Drops the environment's user and database; safe to repeat. */
export async function destroyMongo(request: {
  client: MongoAdmin;
  repository: string;
  env: string;
}): Promise<{ deletedUser: boolean }> {
  const { database, role: username } = previewNames(request);
  const db = request.client.db(database);
  const info = await db.command({ usersInfo: username });
  const users = info["users"];
  const exists = Array.isArray(users) && users.length > 0;
  if (exists) await db.command({ dropUser: username });
  await db.dropDatabase();
  return { deletedUser: exists };
}
