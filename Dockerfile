# The API image. docker-compose.yml sets the environment (database, port, NODE_ENV).
FROM node:20-bookworm-slim

# Toolchain for better-sqlite3's native build when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node package.json package-lock.json ./
# Local packages the lockfile links to (vendor/fs-shim stands in for epcis2.js's `fs` placeholder).
COPY --chown=node:node vendor ./vendor
RUN npm ci

COPY --chown=node:node . .
# The browser bundles are built into the image: the server only reads them (npm start finds them current).
RUN npm run build
# Owned by `node`, so a named volume mounted here starts out writable (secrets.json, SQLite files).
RUN mkdir -p /app/data

EXPOSE 3000
# node itself, not `npm start`: one process, so the SIGTERM of `docker stop` reaches the server
# and it stops gracefully (docs/operations.md, "Stopping the service").
CMD ["node", "--import", "tsx", "api/src/server.ts"]
