# One image recipe for every service (built by compose.yml from the repository root):
#   docker build --build-arg SERVICE=base --build-arg PORT=8001 -t rail-base .
# SERVICE is a directory under services/ (base, store, face, frontend); PORT is its usual port.
FROM node:20-bookworm-slim AS manifests
# Only the workspace manifests, with their paths, so the dependency layers below stay cached until a manifest or
# the lockfile changes (this stage reruns on any change, but its output is byte-identical then).
WORKDIR /src
COPY . .
RUN mkdir /out \
 && cp package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json /out/ \
 && cp -r patches /out/ \
 && find packages services scripts -maxdepth 2 -name package.json -not -path "*/node_modules/*" \
      -exec cp --parents {} /out/ \;

FROM node:20-bookworm-slim
ARG SERVICE
ARG PORT
RUN test -n "${SERVICE}" && test -n "${PORT}" || { echo "build with --build-arg SERVICE=<name> --build-arg PORT=<port>"; exit 1; }

ENV CI=true
RUN npm install -g pnpm@10.34.8 \
 && apt-get update && apt-get install -y --no-install-recommends ca-certificates openssl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=manifests /out/ ./
RUN pnpm install --frozen-lockfile --filter "@rail/${SERVICE}..."

COPY packages packages
COPY services/${SERVICE} services/${SERVICE}
# Services with a Prisma schema: the client for the JS engine (offline: the URL only has to be well-formed here).
# Services with a web app (frontend): its build (vite) into dist/, served by the express server.
RUN if [ -f "services/${SERVICE}/prisma/schema.prisma" ]; then \
      DATABASE_URL=postgresql://build:build@localhost:5432/build pnpm --filter "@rail/${SERVICE}" db:generate; \
    fi \
 && if [ -d "services/${SERVICE}/web" ]; then pnpm --filter "@rail/${SERVICE}" build; fi

WORKDIR /app/services/${SERVICE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT}
# Pending migrations are applied on start (every replica may try; prisma serialises them with a lock).
ENV MIGRATE_ON_START=true
EXPOSE ${PORT}
USER node
# tsx directly (not through pnpm) so SIGTERM reaches the service for a graceful shutdown.
CMD ["node_modules/.bin/tsx", "src/main.ts"]
