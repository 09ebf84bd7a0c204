import net from 'node:net';

/**
 * Writes `raw` (bytes no HTTP client would send: oversized headers, a broken request line, a body
 * that stops short) to the server on `port` and answers everything it sends back until it closes
 * the connection. With `giveUpMs`, a server that keeps the connection open fails the exchange.
 */
export function rawExchange(port: number, raw: string, giveUpMs?: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(raw);
    if (giveUpMs !== undefined) setTimeout(() => socket.destroy(new Error('the server kept the connection open')), giveUpMs).unref();
  });
}
