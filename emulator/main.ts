import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

/** The CLI: `npm run emulator -- [--port 4566] [--host 127.0.0.1] [--update-delay 500]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      'update-delay': { type: 'string', default: '500' },
    },
  });
  const port = Number(values.port);
  const updateDelayMs = Number(values['update-delay']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, got ${values.port}`);
  if (!(updateDelayMs >= 0))
    throw new Error(`--update-delay must be a number of ms >= 0, got ${values['update-delay']}`);
  const emulator = await startEmulator({ host: values.host, port, updateDelayMs });
  console.log(`emulator listening on ${emulator.url}`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
