import type { Server } from 'node:http';

export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}
export function startStaticServer(options?: { dir?: string; port?: number; host?: string; base?: string }): Promise<StaticServer>;
