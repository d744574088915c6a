import { basePathFrom } from '../lib/basePath.mjs';
import { startStaticServer } from './staticServer.mjs';

const port = Number(process.env.PORT ?? 3000);
try {
  // A build made with BASE_PATH=/course is served under /course/, as its host would.
  const base = basePathFrom(process.env.BASE_PATH);
  const { url } = await startStaticServer({ dir: 'out', port, host: process.env.HOST ?? '127.0.0.1', base });
  console.log(`\n  The course is being served at ${url}${base}/\n  Press Ctrl+C to stop.\n`);
} catch (error) {
  if (error && typeof error === 'object' && 'code' in error && error.code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use. Start on another port with: PORT=3001 npm run serve`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
