/**
 * The heavy half of a live page: Yjs and socket.io. Pages draw first (from the board the server
 * put into the HTML) and take commands into the outbox at once; this chunk loads alongside and
 * connects (workshop-client.svelte.ts). See docs/ARCHITECTURE.md, "The phone's first load".
 */
export { io } from 'socket.io-client';
export * as Y from 'yjs';
