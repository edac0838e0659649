import express, { NextFunction, Request, Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The web console at /console: the files Vite built into dist/console (beside the compiled server,
 * or, when the server runs from its TypeScript sources, in the repository's dist). Without a build,
 * /console says how to make one.
 */
export function consoleStatic(): (req: Request, res: Response, next: NextFunction) => void {
  const dir = [path.join(__dirname, '..', '..', '..', 'console'), path.join(__dirname, '..', '..', '..', '..', 'dist', 'console')].find((d) =>
    fs.existsSync(path.join(d, 'index.html')),
  );
  if (!dir) {
    return (_req, res) => void res.status(404).type('text/plain').send('The web console is not built: run `npm run build` (npm ci and npm start do).\n');
  }
  const files = express.static(dir, {
    index: 'index.html',
    maxAge: '1h',
    setHeaders: (res, file) => file.endsWith('index.html') && res.setHeader('Cache-Control', 'no-cache'),
  });
  return (req, res, next) => files(req, res, () => (req.method === 'GET' ? res.sendFile(path.join(dir, 'index.html')) : next()));
}
