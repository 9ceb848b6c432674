import * as Y from 'yjs';
import type { CreateWorkshop } from '../../shared/commands.ts';
import { createWorkshopSchema } from '../../shared/commands.ts';
import { docParts, IDLE_TIMER, type Action, type ControlCounts, type Meta, type Note, type Tally } from '../../shared/doc.ts';
import type { ControlTag } from '../../shared/commands.ts';
import type { Since } from '../../shared/partnership/series.ts';
import { writeSince } from '../../shared/partnership/since-doc.ts';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import { makeTemplate } from '../../shared/templates/index.ts';
import type { KeyRow, Store, WorkshopRow } from '../store/store.ts';
import { newClientId, newCode, newId, newKey, sha256 } from './keys.ts';

export const DEFAULT_SETTINGS = { budget: 5, cap: 3, facilitatorVotes: false, showRanking: true, topN: 5, groups: [] as string[] };

export interface Created {
  row: WorkshopRow;
  facilitatorKey: string;
  /** Its first document state (the partnership it starts in keeps a summary of it). */
  doc: Y.Doc;
}

/** What a new workshop's document starts with: a template's, a duplicate's, or an import's. */
export interface Contents {
  meta: Meta;
  notes?: Note[];
  tally?: Tally | null;
  tags?: Record<string, ControlTag>;
  actions?: Action[];
  /** In a partnership (issue 26): the earlier workshops it starts from (and, imported, what it said of them). */
  since?: Since;
  /** The phones' control answers as shown (an import's). */
  controlCounts?: ControlCounts | null;
}

/** Makes the owner key of a new workshop from its id (a signed-in facilitator's: server/auth/owner-keys.ts). */
export type OwnerKeyMaker = (workshopId: string) => string;

/** Make a workshop from a template: its first document state, its join code, its owner key. */
export function createWorkshop(
  store: Store,
  input: CreateWorkshop,
  now: number,
  ownerKey?: OwnerKeyMaker,
  extra: Pick<Contents, 'since'> = {},
): Promise<Created> {
  const req = createWorkshopSchema.parse(input);
  const template = makeTemplate(req.template, { bones: req.bones, head: req.head });
  return saveNewWorkshop(
    store,
    {
      meta: {
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
      },
      ...extra,
    },
    now,
    ownerKey,
  );
}

/** Without `ownerKey`, the owner key is random. */
export async function saveNewWorkshop(store: Store, contents: Contents, now: number, ownerKey?: OwnerKeyMaker): Promise<Created> {
  let code = newCode();
  while (await store.codeExists(code)) code = newCode();
  const row: WorkshopRow = {
    id: newId(12),
    code,
    title: contents.meta.title,
    template: contents.meta.templateId,
    phase: contents.meta.phase,
    createdAt: now,
    serverClientId: newClientId(),
    closedAt: null,
  };
  const doc = new Y.Doc();
  doc.clientID = row.serverClientId;
  const parts = docParts(doc);
  doc.transact(() => {
    for (const [k, v] of Object.entries(contents.meta)) parts.meta.set(k, v);
    for (const n of contents.notes ?? []) parts.notes.set(n.id, n);
    if (contents.tally) parts.results.set('tally', contents.tally);
    for (const [id, tag] of Object.entries(contents.tags ?? {})) parts.tags.set(id, tag);
    for (const a of contents.actions ?? []) parts.actions.set(a.id, a);
    if (contents.since) writeSince(parts.since, contents.since);
    if (contents.controlCounts) parts.answers.set('control', contents.controlCounts);
  });
  const facilitatorKey = ownerKey ? ownerKey(row.id) : newKey();
  const owner: KeyRow = { id: newId(), keyHash: sha256(facilitatorKey), kind: 'owner', createdAt: now, revoked: false };
  await store.createWorkshop(row, owner, Y.encodeStateAsUpdate(doc));
  return { row, facilitatorKey, doc };
}
