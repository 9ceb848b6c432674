import { storedJson } from '../lib/storage.ts';

/**
 * The participant's optional nickname lives only in this browser and is shown only in their own
 * header: it is never sent, so it can never end up beside a note, a vote or an export.
 * One for every workshop: the same person on the same phone.
 */
const KEY = 'fishbone:nickname';
export const NICKNAME_MAX = 40;

export const readNickname = (): string => {
  const v = storedJson.read<unknown>(KEY, '');
  return typeof v === 'string' ? v.slice(0, NICKNAME_MAX) : '';
};

export const writeNickname = (name: string): void => storedJson.write(KEY, name.trim() ? name.slice(0, NICKNAME_MAX) : null);
