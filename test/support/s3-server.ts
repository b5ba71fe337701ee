import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running s3rver: an S3 protocol server on 127.0.0.1, storing in a temporary folder. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_S3 or a client's `endpoint`. */
  endpoint: string;
  bucket: string;
  /** The folder s3rver stores in (removed by `stop`). */
  directory: string;
  /** s3rver's default credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop: () => Promise<void>;
}

// The parts of s3rver (untyped, CommonJS) and of its Koa context that this helper touches.
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  middleware: KoaMiddleware[];
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  silent: boolean;
  directory: string;
  address: string;
  port: number;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

const require = createRequire(import.meta.url);
const S3rver: S3rverConstructor = require("s3rver");

/**
 * Starts s3rver on 127.0.0.1 on a free port with one empty bucket.
 *
 * s3rver 3.7 implements multipart uploads but not ListMultipartUploads (501 NotImplemented) nor
 * AbortMultipartUpload (405 MethodNotAllowed), so aborted uploads would leave their parts behind and could
 * not be listed. This helper adds both, on s3rver's own upload folder, so tests can check that an
 * interrupted upload leaves nothing pending (these two routes skip s3rver's signature check). Pass
 * `abortAndListUploads: false` for s3rver as it is.
 * @example const s3 = await startS3Server(); … await s3.stop();
 */
export async function startS3Server(
  options: { bucket?: string; abortAndListUploads?: boolean } = {},
): Promise<S3TestServer> {
  const bucket = options.bucket ?? "aether-test";
  const directory = await mkdtemp(join(tmpdir(), "aether-s3rver-"));
  const server = new S3rver({
    silent: true,
    directory,
    address: "127.0.0.1",
    port: 0,
    configureBuckets: [{ name: bucket }],
  });
  if (options.abortAndListUploads !== false) {
    // s3rver's last middleware is its router; the shim goes just before it.
    server.middleware.splice(server.middleware.length - 1, 0, multipartShim(directory));
  }
  let address: { port: number };
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    directory,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

const UPLOAD_ID = /^[0-9a-f]{32}$/;

function multipartShim(directory: string): KoaMiddleware {
  // Where s3rver's filesystem store keeps each pending upload: a folder per upload id holding `key`,
  // `metadata` and one file per part.
  const uploadsOf = (bucket: string): string => join(directory, bucket, "._S3rver_uploads");
  return async (ctx, next) => {
    const [bucket = "", ...keyParts] = ctx.path.split("/").filter((part) => part !== "");
    const uploadId = ctx.query["uploadId"];
    if (ctx.method === "GET" && keyParts.length === 0 && "uploads" in ctx.query && bucket !== "") {
      const uploads = [];
      const ids = await readdir(uploadsOf(bucket)).catch(() => []);
      for (const id of ids.filter((name) => UPLOAD_ID.test(name))) {
        const key = await readFile(join(uploadsOf(bucket), id, "key"), "utf8").catch(() => "");
        uploads.push(`<Upload><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></Upload>`);
      }
      ctx.type = "application/xml";
      ctx.body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Bucket>${escapeXml(bucket)}</Bucket><IsTruncated>false</IsTruncated>${uploads.join("")}` +
        `</ListMultipartUploadsResult>`;
      return;
    }
    if (ctx.method === "DELETE" && keyParts.length > 0 && typeof uploadId === "string") {
      const folder = join(uploadsOf(bucket), uploadId);
      if (!UPLOAD_ID.test(uploadId) || !(await stat(folder).catch(() => undefined))) {
        ctx.status = 404;
        ctx.type = "application/xml";
        ctx.body =
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>` +
          `<Message>The specified upload does not exist.</Message></Error>`;
        return;
      }
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
