// Preview databases: a PostgreSQL database and role per environment, Redis and MongoDB users, backups.
export { createPostgresAdmin } from "./postgres-admin.ts";
export type { PostgresAdmin, PostgresConnection, SqlSession } from "./postgres-admin.ts";
export { previewNames, templateName, TEMPLATE_OWNER_ROLE, MAX_IDENTIFIER_BYTES } from "./preview-names.ts";
export type { PreviewNames } from "./preview-names.ts";
export { encodeLabel, parseLabel } from "./database-label.ts";
export type { PreviewLabel } from "./database-label.ts";
export { provisionDatabase } from "./provision-database.ts";
export type { ProvisionDatabaseRequest, ProvisionedDatabase } from "./provision-database.ts";
export { ensureTemplate, templateInputHash, TemplateBuildError } from "./ensure-template.ts";
export type { EnsureTemplateRequest, EnsuredTemplate, TemplateSource } from "./ensure-template.ts";
export { destroyDatabase } from "./destroy-database.ts";
export type { DestroyedDatabase } from "./destroy-database.ts";
export { sweepDatabases } from "./sweep-databases.ts";
export type { SweptEnvironment } from "./sweep-databases.ts";
export { listDatabases, findOpenDatabases } from "./list-databases.ts";
export type { ListedDatabase } from "./list-databases.ts";
export { findEnvironmentDatabase } from "./find-environment-database.ts";
export { provisionRedis, destroyRedis } from "./provision-redis.ts";
export type { ProvisionedRedis, RedisCommander } from "./provision-redis.ts";
export { provisionMongo, destroyMongo } from "./provision-mongo.ts";
export type { MongoAdmin, ProvisionedMongo } from "./provision-mongo.ts";
export { backupDatabase, UnknownDatabaseError } from "./backup-database.ts";
export type { BackupRequest } from "./backup-database.ts";
export { restoreDatabase } from "./restore-database.ts";
export type { RestoreRequest, RestoredDatabase } from "./restore-database.ts";
export { readBackupIndex, writeBackupIndex, parseBackupRecord } from "./backup-index.ts";
export {
  backupRecordKey,
  deleteBackupRecord,
  listBackups,
  pruneBackups,
  putBackupRecord,
} from "./backup-catalog.ts";
export type { PrunedBackups } from "./backup-catalog.ts";
export { findPgTools, serverMajorVersion, PgToolsMissingError } from "./find-pg-tools.ts";
export type { PgTools } from "./find-pg-tools.ts";
export { checkAdminPrivileges } from "./check-admin-privileges.ts";
export type { AdminPrivilege } from "./check-admin-privileges.ts";
export { ensureLocalPostgres, stopLocalPostgres, LocalPostgresError } from "./local-postgres.ts";
export type { LocalPostgres } from "./local-postgres.ts";
export type { BackupRecord } from "./backup-index.ts";
export { applyRetention } from "./backup-retention.ts";
export type { RetentionPolicy } from "./backup-retention.ts";
export {
  AdminPermissionError,
  DatabaseUnreachableError,
  PgToolError,
  TemplateBusyError,
  UnknownEnvironmentError,
} from "./previewdb-errors.ts";
export { cryptoRandom } from "./random-source.ts";
export type { RandomBytes } from "./random-source.ts";
