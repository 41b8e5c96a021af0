#!/bin/sh
# Compose only (mounted into /docker-entrypoint-initdb.d): one database per service plus Keycloak's.
# Runs once, when the postgres volume is empty. The local stack creates the same databases itself.
set -e
for db in rail_base rail_store rail_face keycloak; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE \"$db\""
done
