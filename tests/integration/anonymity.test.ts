import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { participantId } from '../../server/workshop/keys.ts';
import { fromBase64 } from '../../shared/base64.ts';
import { TestClient, until, type Received } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { createWorkshop } from '../support/server.ts';
import { wireText } from '../support/wire.ts';
import { useTestServer } from '../support/use-server.ts';

/** Counts are released on a clock (server/workshop/disclosure.ts): here one the test moves. */
const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });

/** Every Yjs update a client received, from the join reply and from 'doc' events. */
function updatesOf(received: Received[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const r of received) {
    if (r.event === 'doc') out.push(fromBase64(r.args[0] as string));
    const ack = r.args[0] as { ok?: boolean; update?: Uint8Array } | undefined;
    if (r.event === 'join:ack' && ack?.ok && ack.update) out.push(new Uint8Array(ack.update));
  }
  return out;
}

describe('anonymity at the wire', () => {
  it('no client learns who wrote or backed what; no tally before the reveal; only the server writes the document', async () => {
    const w = await createWorkshop(server.url, { title: 'Anonymity', silent: true });
    const http: string[] = [];
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const people = await Promise.all(Array.from({ length: 6 }, () => TestClient.participant(server.url, w.code)));
    const everyone = [fac, screen, ...people];
    const workshopId = server.store.db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(w.code) as string;
    const pids = people.map((p) => participantId(workshopId, p.token!));

    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const written: Array<{ author: number; text: string; noteId: string }> = [];
    for (let round = 0; round < 4; round++) {
      for (const [i, p] of people.entries()) {
        const text = `Secret barrier ${i}-${round} ${p.token!.slice(0, 6)}`;
        const { noteId } = await p.do({ type: 'note.add', boneId: ['people', 'structures', 'processes'][round % 3], text });
        written.push({ author: i, text, noteId: noteId! });
      }
    }
    // Silent brainstorm: no other client has any hidden text; each author has their own.
    await afterReleases(clock, fac);
    await until(() => fac.stats?.hiddenByBone.people === 12, 'hidden counts');
    for (const [i, p] of people.entries()) {
      const others = written.filter((n) => n.author !== i);
      const text = wireText(p.received);
      for (const n of others) expect(text).not.toContain(n.text);
      expect(p.self!.notes.map((n) => n.text).sort()).toEqual(
        written
          .filter((n) => n.author === i)
          .map((n) => n.text)
          .sort(),
      );
    }
    for (const n of written) expect(wireText(screen.received)).not.toContain(n.text);
    // The facilitators see held notes only in their private moderation view (anonymity-moderation.test.ts).
    for (const n of written) expect(wireText(fac.received.filter((r) => r.event !== 'self'))).not.toContain(n.text);

    await fac.do({ type: 'notes.reveal' });
    await until(() => screen.board().notes.length === written.length, 'revealed');
    // One batch, one update, in an order that is not the order of writing.
    const revealOrder = screen.board().notes.map((n) => n.text);
    expect(revealOrder).not.toEqual(written.map((n) => n.text));
    expect(new Set(revealOrder)).toEqual(new Set(written.map((n) => n.text)));
    // The capture really decodes what arrives: after the reveal, others' texts are in it.
    await until(() => wireText(people[0].received).includes(written.find((n) => n.author === 1)!.text), 'revealed text on the wire');

    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    const ballots = people.map(() => new Map<string, number>());
    for (const [i, p] of people.entries()) {
      for (let k = 0; k < 5; k++) {
        const target = written[(i * 5 + k * 3) % written.length].noteId;
        const res = await p.send({ type: 'vote.change', noteId: target, delta: 1 });
        if (res.ok) ballots[i].set(target, (ballots[i].get(target) ?? 0) + 1);
      }
    }
    await afterReleases(clock, fac);
    await until(() => fac.stats?.turnout.voters === 6, 'turnout');
    // Before the reveal: no tally anywhere, and nobody but the voter sees a ballot.
    for (const c of everyone) {
      for (const u of updatesOf(c.received)) {
        const d = new Y.Doc();
        Y.applyUpdate(d, u);
        expect(d.getMap('results').size).toBe(0);
      }
      for (const r of c.received.filter((x) => x.event === 'stats')) {
        expect(Object.keys(r.args[0] as object).sort()).toEqual(['act', 'connected', 'finished', 'hiddenByBone', 'serverTime', 'turnout']);
      }
    }
    for (const [i, p] of people.entries()) {
      expect(p.self!.ballot).toEqual(Object.fromEntries(ballots[i]));
      // every 'self' this client ever got was its own
      for (const r of p.received.filter((x) => x.event === 'self')) {
        const own = new Set(written.filter((n) => n.author === i).map((n) => n.noteId));
        for (const n of (r.args[0] as { notes: Array<{ id: string }> }).notes) expect(own.has(n.id)).toBe(true);
        for (const noteId of Object.keys((r.args[0] as { ballot: object }).ballot)) expect(ballots[i].has(noteId)).toBe(true);
      }
    }
    expect(
      fac.received.filter((r) => r.event === 'self').every((r) => Object.keys((r.args[0] as { ballot: object }).ballot).length === 0),
    ).toBe(true);

    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => screen.board().tally !== null, 'tally');
    const tally = screen.board().tally!;
    expect(Object.keys(tally).sort()).toEqual(['bones', 'dots', 'notes', 'voters']);
    for (const t of Object.values(tally.notes)) expect(Object.keys(t).sort()).toEqual(['dots', 'supporters']);

    for (const path of [`/api/workshops/${w.code}`, `/api/workshops/${w.code}/qr.svg`, `/w/${w.code}`]) {
      http.push(await (await fetch(server.url + path)).text());
    }

    // No token, participant id or socket id of anyone reaches anyone else (nor the facilitator).
    const secrets = people.flatMap((p, i) => [p.token!, pids[i], p.socket.id!].map((s) => ({ owner: p, s })));
    for (const c of everyone) {
      const text = wireText(c.received);
      for (const { owner, s } of secrets) if (owner !== c) expect(text).not.toContain(s);
    }
    for (const body of http) for (const { s } of secrets) expect(body).not.toContain(s);

    // Every item in every replica was written by the workshop's one server Yjs client id.
    const serverClientId = server.store.db.prepare('SELECT server_client_id FROM workshops WHERE id = ?').pluck().get(workshopId) as number;
    for (const c of everyone) {
      const writers = new Set<number>();
      for (const u of updatesOf(c.received)) for (const s of Y.decodeUpdate(u).structs) writers.add(s.id.client);
      expect([...writers]).toEqual([serverClientId]);
      expect([...c.doc.store.clients.keys()]).toEqual([serverClientId]);
      expect(c.doc.clientID).not.toBe(serverClientId);
    }
    everyone.forEach((c) => c.close());
  });

  it('the database keeps authorship apart from the document', async () => {
    const w = await createWorkshop(server.url, { title: 'Storage', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    await p.do({ type: 'note.add', boneId: 'people', text: 'Stored note' });
    const db = new Database(server.dbFile, { readonly: true });
    const docs = db.prepare('SELECT data FROM doc_updates').pluck().all() as Buffer[];
    for (const d of docs) expect(d.toString('utf8')).not.toContain(p.token!);
    // tokens themselves are never stored, only salted hashes
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM participants').all()) + JSON.stringify(db.prepare('SELECT * FROM note_authors').all());
    expect(dump).not.toContain(p.token!);
    db.close();
  });
});
