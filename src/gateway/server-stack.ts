/**
 * The gateway's server stack (@grpc/grpc-js) is an optional peer: users of
 * the client or the bridge never download it. It is loaded when a gateway
 * starts, with an error that says what to install when it is missing.
 * OTLP/protobuf needs no library: the gateway reads and writes the few
 * messages it handles itself (src/gateway/otlp/).
 */
import type * as Grpc from "@grpc/grpc-js";
import { ConfigurationError } from "../transport/endpoint.js";

export const INSTALL_COMMAND = "npm install @grpc/grpc-js@^1.14";

export interface ServerStack {
  grpc: typeof Grpc;
}

export async function loadServerStack(): Promise<ServerStack> {
  const name = "@grpc/grpc-js";
  try {
    const module = (await import(name)) as typeof Grpc & { default?: typeof Grpc };
    return { grpc: module.default ?? module };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" || (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
      throw new ConfigurationError(`the Permiso gateway needs ${name}, which is not installed: ${INSTALL_COMMAND}`);
    }
    throw error;
  }
}
