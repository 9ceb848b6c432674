import { refusals } from '../../shared/messages/refusals.ts';
import { workshopExportSchema, EXPORT_SCHEMA, EXPORT_VERSION } from '../../shared/export-schema.ts';
import { IDLE_TIMER } from '../../shared/doc.ts';
import type { Failure } from '../../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { saveNewWorkshop, type Created, type OwnerKeyMaker } from '../workshop/create.ts';
import { fail, invalid } from '../workshop/result.ts';

/** A JSON export becomes a new workshop (new code, new key): for moving between servers. */
export async function importWorkshop(store: Store, body: unknown, now: number, ownerKey?: OwnerKeyMaker): Promise<Created | Failure> {
  const b = body as { schema?: unknown; version?: unknown } | null;
  if (!b || typeof b !== 'object' || b.schema !== EXPORT_SCHEMA)
    return fail('bad_request', { what: refusals.badRequest.notAnExport(EXPORT_SCHEMA) });
  if (typeof b.version === 'number' && b.version > EXPORT_VERSION) {
    return fail('bad_request', {
      what: refusals.badRequest.newerExport(b.version, EXPORT_VERSION),
    });
  }
  const parsed = workshopExportSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const x = parsed.data;
  const w = x.workshop;
  const twice = firstRepeat([
    ['workshop.bones', w.bones.map((b) => b.id)],
    ['workshop.bones.subBones', w.bones.flatMap((b) => b.subBones.map((s) => `${b.id}/${s.id}`))],
    ['workshop.catalogue', w.catalogue.map((c) => c.id)],
    ['notes', x.notes.map((n) => n.id)],
    ['actions', x.actions.map((a) => a.id)],
  ]);
  if (twice) return fail('bad_request', { what: twice });
  const bones = new Map(w.bones.map((bn) => [bn.id, new Set(bn.subBones.map((s) => s.id))]));
  for (const n of x.notes) {
    const subs = bones.get(n.boneId);
    if (!subs || (n.subBoneId && !subs.has(n.subBoneId)))
      return fail('bad_request', { what: refusals.badRequest.noteOffBones(n.id, n.boneId) });
  }
  const picks = new Set(w.catalogue.map((c) => c.id));
  const strayPick = x.notes.find((n) => n.pick !== null && !picks.has(n.pick));
  if (strayPick)
    return fail('bad_request', {
      what: refusals.badRequest.strayPick(strayPick.id, strayPick.pick!),
    });
  const strayItem = w.catalogue.find((c) => !bones.get(c.boneId) || (c.subBoneId && !bones.get(c.boneId)!.has(c.subBoneId)));
  if (strayItem)
    return fail('bad_request', {
      what: refusals.badRequest.itemOffBones(strayItem.id, strayItem.boneId),
    });
  const noteIds = new Set(x.notes.map((n) => n.id));
  const gone = [...Object.keys(x.tags), ...x.actions.flatMap((a) => (a.noteId ? [a.noteId] : []))].find((id) => !noteIds.has(id));
  if (gone) return fail('bad_request', { what: refusals.badRequest.strayNoteRef(gone) });
  if (w.settings.cap > w.settings.budget) return fail('bad_request', { what: refusals.badRequest.capOverBudget });
  return saveNewWorkshop(
    store,
    {
      meta: {
        title: w.title,
        head: w.head,
        templateId: w.template,
        phase: w.phase,
        locked: false,
        notesRevealed: true,
        ...w.settings,
        prompts: w.prompts,
        timer: IDLE_TIMER,
        bones: w.bones,
        catalogue: w.catalogue,
        participantCount: x.participants,
      },
      notes: x.notes,
      tally: x.results,
      tags: x.tags,
      controlCounts: x.controlAnswers ?? null,
      actions: x.actions,
      since: x.since ?? undefined,
    },
    now,
    ownerKey,
  );
}

/** The first id that appears twice in its list, said as a field and the id. */
function firstRepeat(lists: Array<[string, string[]]>): string | null {
  for (const [field, ids] of lists) {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) return refusals.badRequest.idTwice(field, id);
      seen.add(id);
    }
  }
  return null;
}
