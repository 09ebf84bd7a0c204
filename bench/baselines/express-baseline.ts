/**
 * The HTTP baselines, started by the bench in its own process exactly as the service is: an
 * Express hello-world route, and an Express route that parses a JSON POST and answers.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/hello', (_req, res) => {
  res.send('Hello, world!');
});
app.post('/json', express.json(), (req, res) => {
  res.status(201).json({ received: Object.keys(req.body as object).length });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
