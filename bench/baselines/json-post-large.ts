/**
 * The JSON-POST baseline of express-baseline.ts with the body limit of POST /api/v1/verify (20 MB)
 * instead of express.json()'s default 100 kB, for bodies as large as a 1,000-event bundle. The
 * route is the same: parse the JSON, answer 201 with the number of top-level keys. It listens on
 * a free port and sends it to the parent over IPC.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.disable('x-powered-by');
app.post('/json', express.json({ limit: '20mb' }), (req, res) => {
  res.status(201).json({ received: Object.keys(req.body as object).length });
});
const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
