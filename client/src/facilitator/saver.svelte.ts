import type { CommandInput } from '../../../shared/commands.ts';
import type { CommandReply } from '../../../shared/events.ts';
import { Runner } from './runner.svelte.ts';

/**
 * One way of saving every setting (issue 24): a setting saves itself when it changes (a switch is
 * flipped, a field is left), and says so: "Saving…", then "Saved: …", or the refusal. `what`
 * names the setting last saved, for the status line (SaveStatus.svelte).
 */
export class Saver extends Runner {
  saved = $state<string | null>(null);

  async save(what: string, cmd: CommandInput): Promise<CommandReply | null> {
    this.saved = null;
    const res = await this.run(cmd);
    if (res) this.saved = what;
    return res;
  }

  /** A problem found before sending (an invalid field): shown like a refusal. */
  refuse(message: string): void {
    this.saved = null;
    this.error = message;
  }
}

/**
 * Settings typed but not saved because they are not valid: moving to the next phase waits until
 * they are fixed or put back (PhaseControls), so nothing is lost without a word.
 */
export const unsaved = $state<{ fields: string[] }>({ fields: [] });

export function markUnsaved(field: string, isUnsaved: boolean): void {
  const has = unsaved.fields.includes(field);
  if (isUnsaved && !has) unsaved.fields.push(field);
  if (!isUnsaved && has) unsaved.fields.splice(unsaved.fields.indexOf(field), 1);
}
