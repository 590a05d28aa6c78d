// The server under test of bench/server.ts, run as `lindero serve` runs it: the compiled build in dist/
// (`npm run bench:server` builds it first), in a process of its own. Prints its ports as one JSON line.
// Run by bench/server.ts: node bench/server-child.mjs OPTIONS_JSON
const options = JSON.parse(process.argv[2]);
const { startServer } = await import(new URL('../dist/server/index.js', import.meta.url).href);
const server = await startServer(options);
process.stdout.write(JSON.stringify(server.ports) + '\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
