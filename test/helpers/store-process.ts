/**
 * A local store in a process of its own, driven by the test that spawns it. Each
 * line on stdin is a JSON command and each line on stdout its JSON reply, so a
 * test can make two processes write to one store file at the same moment.
 *
 * Commands: `{ "op": "open", "dbPath", "packageDir" }`,
 * `{ "op": "applyMove", "move" }` and `{ "op": "close" }`. Replies are
 * `{ "ok": true, ... }` or `{ "ok": false, "error": "<class name>", "message" }`.
 */
import { createInterface } from 'node:readline';
import type { MoveWrite } from '../../middleware/src/org/gateway.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';

type Command =
  | { op: 'open'; dbPath: string; packageDir: string }
  | { op: 'applyMove'; move: MoveWrite }
  | { op: 'close' };

let gateway: LocalGateway | undefined;

async function run(command: Command): Promise<Record<string, unknown>> {
  switch (command.op) {
    case 'open':
      gateway = await openLocalGateway({
        dbPath: command.dbPath,
        packageDir: command.packageDir,
      });
      return {};
    case 'applyMove': {
      if (!gateway) throw new Error('send "open" before "applyMove"');
      const transition = await gateway.applyMove(command.move);
      return { transitionId: transition.id };
    }
    case 'close':
      await gateway?.close();
      gateway = undefined;
      return {};
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line) as Command;
  let reply: Record<string, unknown>;
  try {
    reply = { ok: true, ...(await run(command)) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    reply = { ok: false, error: failure.name, message: failure.message };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
  if (command.op === 'close') break;
}
