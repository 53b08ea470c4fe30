import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalGateway } from "./local";

/**
 * What a running `gateway:local` tells `gateway:token`: where its issuer mints tokens, and each server's
 * resource and client ID. No key and no token is ever written: the issuer's keys live only in the
 * `gateway:local` process, which mints on request over loopback.
 */
export interface GatewayState {
  readonly stack: string;
  readonly pid: number;
  readonly url: string;
  readonly issuer: string;
  readonly scopeValue: string;
  readonly servers: readonly {
    readonly name: string;
    readonly url: string;
    readonly resource: string;
    readonly clientId: string;
    readonly tools: readonly { readonly name: string; readonly roles: readonly string[] }[];
  }[];
}

export function stateFile(stack: string): string {
  return path.join(os.tmpdir(), "mcp-gateway-local", `${stack}.json`);
}

export function gatewayState(gateway: LocalGateway): GatewayState {
  return {
    stack: gateway.stack,
    pid: process.pid,
    url: gateway.url,
    issuer: gateway.issuer.url,
    scopeValue: gateway.config.identity.scopeValue,
    servers: gateway.servers.map((s) => ({
      name: s.name,
      url: s.url,
      resource: s.resource,
      clientId: s.clientId,
      tools: s.tools.map((t) => ({ name: t.name, roles: [...t.roles] })),
    })),
  };
}

export function writeState(state: GatewayState): string {
  const file = stateFile(state.stack);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function removeState(stack: string): void {
  rmSync(stateFile(stack), { force: true });
}

export function readState(stack: string): GatewayState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(stack), "utf8")) as GatewayState;
  } catch {
    return undefined;
  }
}
