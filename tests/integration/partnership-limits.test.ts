import { describe, expect, it } from 'vitest';
import { ADDRESS_LIMITS } from '../../server/guard/address-limits.ts';
import { LINKS_PER_PARTNERSHIP } from '../../shared/partnership/series.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * Partnerships within the server's limits (issue 26; docs/PROTOCOL.md "Limits"): a stranger
 * cannot fill the disk with partnerships or guess their ids at speed, and a partnership holds no
 * more than a real series needs.
 */

const server = useTestServer({ realLimits: true });

const create = (from: string, title = 'North Locality') =>
  fetch(`${server.url}/api/partnerships`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ title }),
  });

describe('partnership limits', () => {
  it('one address makes a burst of partnerships, then waits (429 with Retry-After); another address is not held up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < ADDRESS_LIMITS.partnership.burst + 3; i++) statuses.push((await create('198.51.100.7')).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(ADDRESS_LIMITS.partnership.burst);
    const refused = await create('198.51.100.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await create('198.51.100.8')).status).toBe(201);
    // Making partnerships does not spend the address's allowance of workshops.
    const workshop = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      body: JSON.stringify({ title: 'Still allowed' }),
    });
    expect(workshop.status).toBe(201);
  });

  it('guessing partnership ids costs the address a lookup each, as guessing join codes does', async () => {
    const real = (await (await create('198.51.100.20')).json()) as { id: string; key: string };
    const get = (id: string) =>
      fetch(`${server.url}/api/partnerships/${id}`, { headers: { 'x-forwarded-for': '198.51.100.21', authorization: 'Bearer x' } });
    const statuses: number[] = [];
    for (let i = 0; i < ADDRESS_LIMITS.unknownCode.burst + 2; i++) statuses.push((await get(`Guess${String(i).padStart(11, '0')}`)).status);
    expect(statuses.slice(0, ADDRESS_LIMITS.unknownCode.burst).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Out of lookups, a guesser learns nothing from a real id either.
    expect((await get(real.id)).status).toBe(429);
  });

  it(`has at most ${LINKS_PER_PARTNERSHIP} co-facilitator links`, async () => {
    const p = (await (await create('198.51.100.30')).json()) as { id: string; key: string };
    const link = () =>
      fetch(`${server.url}/api/partnerships/${p.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${p.key}` } });
    for (let i = 0; i < LINKS_PER_PARTNERSHIP; i++) expect((await link()).status).toBe(201);
    const over = await link();
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({
      code: 'limit_reached',
      message: `That is the limit: a partnership has at most ${LINKS_PER_PARTNERSHIP} co-facilitator links.`,
    });
  });
});
