/**
 * Preload for the start's signal tests (`node --import`): the first server
 * `listen` call writes the line "listen held" to stderr and waits for SIGINT or
 * SIGTERM before it listens. A test that sends the signal on that line stops
 * the start after it created the store and while a step is still under way.
 */
import net from 'node:net';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';

const listen = net.Server.prototype.listen;
let listenHeld = false;
net.Server.prototype.listen = function holdListen(...args) {
  if (listenHeld) return listen.apply(this, args);
  listenHeld = true;
  // Without a listening socket, nothing else keeps the process running.
  const keepAlive = setInterval(() => undefined, 60_000);
  const release = () => {
    clearInterval(keepAlive);
    process.off('SIGINT', release);
    process.off('SIGTERM', release);
    listen.apply(this, args);
  };
  // Installed before the start's own handlers, so it runs first.
  process.once('SIGINT', release);
  process.once('SIGTERM', release);
  process.stderr.write('listen held\n');
  return this;
};
