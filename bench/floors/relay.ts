import { createServer } from 'node:http';
import { Server } from 'socket.io';

/**
 * The floor: a plain socket.io relay with the same transport settings as Fishbone Live. A client
 * joins a room, and every `doc` message it sends goes to everyone in that room (itself included,
 * as our server echoes updates to their sender too). No validation, no Yjs, no storage, no acks
 * for relayed messages. The same relay serves both floors; they differ only in what the clients
 * send and do on arrival (bench/client.ts): Yjs update bytes that every receiver applies to its
 * replica (the Yjs floor), or a frame of the same size that receivers only time (the bare floor).
 */
const port = Number(process.env.PORT);
const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(req.url === '/healthz' ? '{"ok":true}' : '{}');
});
const io = new Server(http, { maxHttpBufferSize: 64 * 1024, serveClient: false, pingInterval: 20_000, pingTimeout: 25_000 });

io.on('connection', (socket) => {
  let room: string | null = null;
  socket.on('join', (req: { room?: unknown }, ack: unknown) => {
    room = String(req?.room ?? '');
    socket.join(room);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('doc', (frame: Buffer) => {
    if (room) io.to(room).emit('doc', frame);
  });
});

http.listen(port, '127.0.0.1');
const stop = () => io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
