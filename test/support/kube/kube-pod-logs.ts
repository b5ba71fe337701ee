import type { ServerResponse } from "node:http";

interface LogLine {
  time: Date;
  text: string;
}

/** The containers' log lines of every pod, and followers waiting for more. */
export class KubePodLogs {
  private readonly lines = new Map<string, LogLine[]>();
  private readonly followers = new Map<string, Set<(line: LogLine | "end") => void>>();

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  append(input: { namespace: string; pod: string; container: string; text: string }): void {
    const key = this.key(input.namespace, input.pod, input.container);
    const line = { time: new Date(), text: input.text };
    this.lines.set(key, [...(this.lines.get(key) ?? []), line]);
    for (const follower of this.followers.get(key) ?? []) follower(line);
  }

  /** Ends every follow of the pod's logs, as the kubelet does when a pod goes away. */
  end(namespace: string, pod: string): void {
    for (const [key, set] of this.followers) {
      if (key.startsWith(`${namespace}/${pod}/`)) for (const follower of set) follower("end");
    }
  }

  /** Streams a container's log to `response`, honouring tailLines, sinceSeconds, timestamps and follow. */
  serve(input: {
    response: ServerResponse;
    namespace: string;
    pod: string;
    container: string;
    query: URLSearchParams;
  }): void {
    const { response, query } = input;
    const key = this.key(input.namespace, input.pod, input.container);
    const timestamps = query.get("timestamps") === "true";
    const format = (line: LogLine) => `${timestamps ? `${line.time.toISOString()} ` : ""}${line.text}\n`;
    let lines = this.lines.get(key) ?? [];
    const since = query.get("sinceSeconds");
    if (since !== null) lines = lines.filter((l) => l.time.getTime() >= Date.now() - Number(since) * 1000);
    const sinceTime = query.get("sinceTime");
    if (sinceTime !== null) lines = lines.filter((l) => l.time.getTime() >= Date.parse(sinceTime));
    const tail = query.get("tailLines");
    if (tail !== null && Number(tail) >= 0) lines = lines.slice(Math.max(0, lines.length - Number(tail)));
    response.writeHead(200, { "content-type": "text/plain" });
    for (const line of lines) response.write(format(line));
    if (query.get("follow") !== "true") {
      response.end();
      return;
    }
    const set = this.followers.get(key) ?? new Set();
    this.followers.set(key, set);
    const follower = (line: LogLine | "end") => {
      if (line === "end") {
        set.delete(follower);
        response.end();
      } else response.write(format(line));
    };
    set.add(follower);
    response.on("close", () => set.delete(follower));
  }
}
