// The `lindero` command: one module per sub-command (where, track, serve, demo, key, verify, export, report, device, user).
export { main, run } from './main.js';
