// Preloaded into a process that must reach nothing but this machine: a connection to any other host
// is refused and reported on stderr, where the test that started the process looks for it.
import net from 'node:net';

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
  const [first, second] = args;
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: second };
  const host = options.path ? 'localhost' : (options.host ?? 'localhost');
  if (!loopback.has(host)) {
    process.stderr.write(`loopback-only: refused a connection to ${host}\n`);
    throw new Error(`This process may reach only this machine, not ${host}`);
  }
  return connect.apply(this, args);
};
