import type { CommandInput } from '../../../shared/commands.ts';
import type { CommandReply } from '../../../shared/events.ts';
import type { WorkshopClient } from '../lib/workshop-client.svelte.ts';

/**
 * Sends a facilitator command and keeps its refusal for the control that sent it, so the
 * server's message appears beside the button that caused it.
 */
export class Runner {
  error = $state<string | null>(null);
  busy = $state(false);
  constructor(private readonly client: WorkshopClient) {}

  /** The reply on success, null (with `error` set) on refusal. */
  async run(cmd: CommandInput): Promise<CommandReply | null> {
    this.busy = true;
    this.error = null;
    try {
      const res = await this.client.send(cmd);
      if (!res.ok) {
        this.error = res.message;
        return null;
      }
      return res;
    } finally {
      this.busy = false;
    }
  }

  clear(): void {
    this.error = null;
  }
}
