/**
 * The HTTP baselines, started by the bench in its own process exactly as the service is: an
 * Express hello-world route, and an Express route that parses a JSON POST and answers. The JSON
 * route takes bodies up to POST /api/v1/verify's 20 MB, so it is the baseline for large bundles too.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/hello', (_req, res) => {
  res.send('Hello, world!');
});
app.post('/json', express.json({ limit: '20mb' }), (req, res) => {
  res.status(201).json({ received: Object.keys(req.body as object).length });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
