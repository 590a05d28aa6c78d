// The flood of bench/server-fair.ts, in a process of its own so that its busy loop does not slow the
// lone client it is measured against: four CoT connections to 127.0.0.1:PORT writing PLI events as fast
// as the server reads them. Prints the events written when it gets SIGTERM.
// Run by bench/server-fair.ts: node bench/flood-child.mjs PORT
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const base = Date.now() - 1_800_000;
let sent = 0;
for (let c = 0; c < 4; c++) {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  let k = 0;
  const pump = () => {
    for (;;) {
      let chunk = '';
      for (let i = 0; i < 500; i++) {
        k += 1;
        const t = new Date(base + k * 10 + c).toISOString();
        chunk += `<event version="2.0" uid="flood-${c}-${k % 50}" type="a-f-G-U-C" time="${t}" start="${t}" stale="${t}" how="m-g"><point lat="${31.81 + (k % 997) * 3e-5}" lon="${-107.2 + (k % 1009) * 3e-4}" hae="1122.4" ce="5" le="9999999.0"/><detail><track course="90" speed="1.3"/></detail></event>`;
      }
      sent += 500;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  socket.on('connect', pump);
}
process.on('SIGTERM', () => {
  process.stdout.write(`${sent}\n`);
  process.exit(0);
});
