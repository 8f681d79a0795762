#!/usr/bin/env bash
# The same work as docker-host-db, as a plain shell script would do it: the
# yardstick for the harness's overhead in `npm run bench`. No verdicts, no
# evidence files; the same containers and the same connection attempts.
set -euo pipefail
postgres_image=$1 django_image=$2
db=np-bench-db-$$ app=np-bench-django-$$ app_host=np-bench-django-host-$$
trap 'docker rm -f "$db" "$app" "$app_host" >/dev/null 2>&1' EXIT
docker run -d --name "$db" --network host -e POSTGRES_PASSWORD=mysecretpassword "$postgres_image" >/dev/null
docker run -d --name "$app" "$django_image" >/dev/null
# D2's contrast: the same Django with --network host.
docker run -d --name "$app_host" --network host "$django_image" >/dev/null
until docker exec "$db" pg_isready -q --host 127.0.0.1 --port 5432; do sleep 0.1; done
gateway=$(ip -4 -o addr show dev docker0 | awk '{print $4}' | cut -d/ -f1)
lan=$(ip -4 -o addr show dev "$(ip -4 route show default | awk '{print $5; exit}')" | awk '{print $4}' | cut -d/ -f1)
for host in 172.17.0.1 "$gateway" localhost 127.0.0.1 "$lan"; do
  docker exec -e DB_HOST="$host" "$app" python3 manage.py dbcheck >/dev/null || true
done
docker exec -e DB_HOST=127.0.0.1 "$app_host" python3 manage.py dbcheck >/dev/null || true
docker network ls >/dev/null
docker network inspect bridge >/dev/null
docker exec "$app" ip -o link show eth0 >/dev/null
ip -j link show >/dev/null
