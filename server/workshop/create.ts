import * as Y from 'yjs';
import type { CreateWorkshop } from '../../shared/commands.ts';
import { createWorkshopSchema } from '../../shared/commands.ts';
import { IDLE_TIMER, docParts, type Meta } from '../../shared/doc.ts';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import { makeTemplate } from '../../shared/templates/index.ts';
import type { KeyRow, Store, WorkshopRow } from '../store/store.ts';
import { newClientId, newCode, newId, newKey, sha256 } from './keys.ts';

export const DEFAULT_SETTINGS = { budget: 5, cap: 3, facilitatorVotes: false, showRanking: false, topN: 5, groups: [] as string[] };

export interface Created {
  row: WorkshopRow;
  facilitatorKey: string;
}

/** Make a workshop from a template: its first document state, its join code, its owner key. */
export async function createWorkshop(store: Store, input: CreateWorkshop, now: number): Promise<Created> {
  const req = createWorkshopSchema.parse(input);
  const template = makeTemplate(req.template, { bones: req.bones, head: req.head });
  let code = newCode();
  while (await store.codeExists(code)) code = newCode();
  const row: WorkshopRow = {
    id: newId(12),
    code,
    title: req.title,
    template: template.id,
    phase: 'lobby',
    createdAt: now,
    serverClientId: newClientId(),
    closedAt: null,
  };
  const doc = new Y.Doc();
  doc.clientID = row.serverClientId;
  const meta: Meta = {
    title: req.title,
    head: req.head ?? template.head,
    templateId: template.id,
    phase: 'lobby',
    locked: false,
    notesRevealed: false,
    silent: req.silent,
    ...DEFAULT_SETTINGS,
    prompts: { ...DEFAULT_PROMPTS },
    timer: IDLE_TIMER,
    bones: template.bones,
    catalogue: template.catalogue,
  };
  const m = docParts(doc).meta;
  doc.transact(() => {
    for (const [k, v] of Object.entries(meta)) m.set(k, v);
  });
  const facilitatorKey = newKey();
  const owner: KeyRow = { id: newId(), keyHash: sha256(facilitatorKey), kind: 'owner', createdAt: now, revoked: false };
  await store.createWorkshop(row, owner, Y.encodeStateAsUpdate(doc));
  return { row, facilitatorKey };
}
