import { createServer, type Server } from "node:net";
import { isErrno } from "./is-errno.ts";
import { PortInUseError } from "./local-errors.ts";

const HOST = "127.0.0.1";

/** First port tried for an environment's public URL when none was asked for or recorded. */
export const FIRST_PUBLIC_PORT = 4100;
const PUBLIC_PORT_SCAN = 1000;

/**
 * A free port for a release to listen on, chosen by the OS. The release binds it moments later; another
 * process could take it in between, which the start then reports as a failed release, not a hang.
 */
export async function freeInternalPort(): Promise<number> {
  const server = createServer();
  await listen(server, 0);
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("the OS gave no port for 127.0.0.1:0");
  return address.port;
}

/** True when nothing listens on 127.0.0.1:`port` (checked by binding it for a moment). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await listen(server, port);
  } catch (error) {
    if (isErrno(error, "EADDRINUSE") || isErrno(error, "EACCES")) return false;
    throw error;
  }
  await new Promise<void>((done) => server.close(() => done()));
  return true;
}

/**
 * Binds `server` (the public proxy) on 127.0.0.1 by the environment's port rule: the wish if given (error if
 * taken), else the recorded port if still free, else the first free port from 4100. Binding is the test of
 * freedom, so two environments starting at once cannot pick the same port.
 */
export async function listenPublic(
  server: Server,
  choice: { wish?: number; recorded?: number },
): Promise<number> {
  if (choice.wish !== undefined) {
    await listenOrInUse(server, choice.wish);
    return choice.wish;
  }
  const candidates = [
    ...(choice.recorded === undefined ? [] : [choice.recorded]),
    ...Array.from({ length: PUBLIC_PORT_SCAN }, (_, i) => FIRST_PUBLIC_PORT + i),
  ];
  for (const port of candidates) {
    try {
      await listenOrInUse(server, port);
      return port;
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw new Error(
    `no free port from ${FIRST_PUBLIC_PORT} to ${FIRST_PUBLIC_PORT + PUBLIC_PORT_SCAN - 1}; pass --port`,
  );
}

async function listenOrInUse(server: Server, port: number): Promise<void> {
  try {
    await listen(server, port);
  } catch (error) {
    if (isErrno(error, "EADDRINUSE") || isErrno(error, "EACCES")) throw new PortInUseError(port);
    throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: Error): void => fail(error);
    server.once("error", onError);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      server.off("error", onError);
      done();
    });
  });
}
