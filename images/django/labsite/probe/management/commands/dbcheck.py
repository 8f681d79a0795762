"""`manage.py dbcheck`: open Django's own database connection and report.

Prints one JSON line: the settings tried, what HOST resolved to, and either the
server's version, its name (the `cluster_name` setting: the lab names each
database it starts, so a report says which server answered) and the addresses
as PostgreSQL sees this connection, or the error.
Exit status 0 on success, 1 on a connection error.
"""
import json
import socket
import time

from django.core.management.base import BaseCommand
from django.db import connection


def resolve(host):
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})
    except socket.gaierror as error:
        return [f"unresolved: {error}"]


class Command(BaseCommand):
    help = "Connect to the default database with Django's settings and report the outcome."

    def handle(self, *args, **options):
        settings = connection.settings_dict
        report = {
            "host": settings["HOST"],
            "port": settings["PORT"],
            "resolved": resolve(settings["HOST"]),
        }
        started = time.monotonic()
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("select version(), current_setting('cluster_name'), inet_client_addr()::text, inet_server_addr()::text")
                version, server_name, client_addr, server_addr = cursor.fetchone()
            report.update(ok=True, server_version=version, server_name=server_name, client_addr=client_addr, server_addr=server_addr)
        except Exception as error:  # the outcome is the point: report any failure as data
            cause = error.__cause__ or error
            report.update(ok=False, error_type=type(cause).__name__, error=str(cause).strip())
        report["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        self.stdout.write(json.dumps(report))
        if not report["ok"]:
            raise SystemExit(1)
