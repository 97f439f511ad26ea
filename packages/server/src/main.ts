import { buildApp } from './app.js';
import { loadConfig } from './core/config.js';

const config = loadConfig();
const { app, close } = await buildApp(config);

// Finish in-flight requests, then release the database and cache, on SIGTERM/SIGINT.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    try {
      await close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`CityOps 城运平台已启动：http://localhost:${config.port}  （API 文档 /api/docs）`);
