export interface StaticServer {
  url: string;
  close(): Promise<void>;
}
export function startStaticServer(options?: { dir?: string; port?: number; host?: string }): Promise<StaticServer>;
