/** "@permiso-io/custom-hooks-sdk/dev-server": a strict local receiver with a run viewer. */
export { DEFAULT_DEV_PORT, startDevServer } from "./server.js";
export type { DevServer, DevServerOptions, Interception, InterceptedRequest } from "./server.js";
export { RunStore } from "./run-store.js";
export type { ReceivedEvent, RunView } from "./run-store.js";
export { formatRunTree } from "./run-tree.js";
export type { RunTreeOptions } from "./run-tree.js";
