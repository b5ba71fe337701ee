import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included; stay clear of both. */
const MAX_SOCKET_PATH_BYTES = 100;

/**
 * The unix socket of an environment's supervisor: `<envDir>/control.sock`, or, when the environment folder
 * is too deep for a socket path, `<tmpdir>/aether-<hash of envDir>.sock`. Deterministic, so a client finds
 * the socket from the folder alone; the supervisor also records it in supervisor.json.
 */
export function controlSocketPath(envDir: string, tempDir: string = tmpdir()): string {
  const inside = join(envDir, "control.sock");
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH_BYTES) return inside;
  const hash = createHash("sha256").update(envDir).digest("hex").slice(0, 24);
  return join(tempDir, `aether-${hash}.sock`);
}
