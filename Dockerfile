# Revenue Handoff: one image for the web process (`npm start`, the default command) and the worker
# (`npm run worker`). Production dependencies only: the card preview, built from development dependencies, is not
# served here, and the demo is meant for `npm start` on a developer's machine.
#
#   docker build -t revenue-handoff .
#   docker run --env-file .env -e HOST=0.0.0.0 -p 3000:3000 revenue-handoff   # HOST: .env.example says 127.0.0.1
#
# `npm start` and `npm run worker` run the TypeScript sources with tsx, a runtime dependency.
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit && npm cache clean --force

COPY --chown=node:node tsconfig.json ./
COPY --chown=node:node serverless ./serverless
COPY --chown=node:node src ./src

EXPOSE 3000
# GET /health answers 200 once the database is reachable and migrated. The worker has no HTTP: compose.yaml turns
# this check off for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["npm", "start"]
