import { objectAt, stringAt, type JsonObject } from "./kube-json.ts";

/** A core/v1 Event as events.k8s.io/v1 serves it (regarding/note instead of involvedObject/message). */
export function toEventsV1(event: JsonObject): JsonObject {
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: event.metadata,
    regarding: event.involvedObject,
    note: event.message,
    reason: event.reason,
    type: event.type,
    reportingController: stringAt(objectAt(event, "source"), "component") ?? "",
    reportingInstance: "",
    deprecatedCount: event.count,
    deprecatedFirstTimestamp: event.firstTimestamp,
    deprecatedLastTimestamp: event.lastTimestamp,
    deprecatedSource: event.source,
    eventTime: null,
  };
}
